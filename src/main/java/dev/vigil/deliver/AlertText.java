package dev.vigil.deliver;

import dev.vigil.model.Alert;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The human words of an alert, shared by every channel that shows text: a title that reads well on a phone. */
public final class AlertText {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm");

    private final ZoneId zone;

    public AlertText(ZoneId zone) {
        this.zone = zone;
    }

    /** e.g. "Unknown person at Front door, 21:04" or "Alice at Front door, 07:45". */
    public String title(Alert a) {
        String who = switch (a.type()) {
            case UNKNOWN_FACE -> "Unknown person";
            case UNIDENTIFIABLE_FACE -> "Someone (face not clear)";
            case SUSPECTED_MATCH -> "Possibly " + name(a);
            case KNOWN_PERSON -> name(a);
            case VISIT_UPDATE -> "Update: it was " + name(a);
            case MOTION -> "Movement (identity not checked)";
            case BUDGET_REACHED -> "Face-check budget reached";
        };
        return who + " at " + a.camera().name() + ", " + HOUR.format(a.observedAt().atZone(zone));
    }

    /** The title, the reason, and what a receiver needs to find the alert again. */
    public String message(Alert a) {
        return title(a) + (a.stale() ? " (late)" : "") + ". " + a.reason() + ". Alert " + a.id() + ".";
    }

    private static String name(Alert a) {
        return a.person() == null || a.person().name() == null ? "a known face" : a.person().name();
    }
}
