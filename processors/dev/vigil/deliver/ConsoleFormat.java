package dev.vigil.deliver;

import dev.vigil.model.Alert;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The console channel's one-line form of an alert, in the household's time zone. */
public class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    public ConsoleFormat(ZoneId zone) {
        this.zone = zone;
    }

    public String format(Alert a) {
        if (a.summary() != null) {
            return String.format(Locale.ROOT, "%s  %-8s %-19s %d held on %s %s..%s  by type %s, by camera %s  [alerts %s]",
                    TIME.format(a.summary().windowEnd().atZone(zone)), a.severity().wire().toUpperCase(Locale.ROOT),
                    a.type().wire(), a.summary().count(), a.summary().channel(),
                    TIME.format(a.summary().windowStart().atZone(zone)), TIME.format(a.summary().windowEnd().atZone(zone)),
                    a.summary().byType(), a.summary().byCamera(), String.join(",", a.summary().alertIds()));
        }
        String who = a.person() == null ? "" : String.format(Locale.ROOT, " %s (%.1f%%)", a.person().name(),
                a.person().similarity());
        return String.format(Locale.ROOT, "%s  %-8s %-19s %s%s  [visit %s, %d frames, alert %s%s] %s",
                TIME.format(a.observedAt().atZone(zone)), a.severity().wire().toUpperCase(Locale.ROOT),
                a.type().wire(), a.camera().name(), who, a.visit().id(), a.visit().frames(), a.id(),
                a.stale() ? ", STALE" : "", a.reason());
    }
}
