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
        if (a.summary() != null) {
            return summaryTitle(a);
        }
        String who = switch (a.type()) {
            case UNKNOWN_FACE -> "Unknown person";
            case UNIDENTIFIABLE_FACE -> "Someone (face not clear)";
            case SUSPECTED_MATCH -> "Possibly " + name(a);
            case KNOWN_PERSON -> name(a);
            case VISIT_UPDATE -> "Update: it was " + name(a);
            case MOTION -> "Movement (identity not checked)";
            case BUDGET_REACHED -> "Face-check budget reached";
            case SUMMARY -> "Summary";
        };
        return who + " at " + a.camera().name() + ", " + HOUR.format(a.observedAt().atZone(zone));
    }

    /** The title, the reason, and what a receiver needs to find the alert again. */
    public String message(Alert a) {
        if (a.summary() != null && a.summary().missed()) {
            Alert.Summary s = a.summary();
            return title(a) + ": " + counts(s.byType()) + "; cameras " + counts(s.byCamera()) + ". They expired "
                    + "before " + s.channel() + " answered again (each is in its dead letters). Alerts "
                    + String.join(", ", s.alertIds()) + ".";
        }
        if (a.summary() != null) {
            Alert.Summary s = a.summary();
            return title(a) + ": " + counts(s.byType()) + "; cameras " + counts(s.byCamera()) + ". Held back over "
                    + "the ceiling of " + s.ceiling() + " alerts on " + s.channel() + ". Alerts " + String.join(", ",
                    s.alertIds()) + ".";
        }
        return title(a) + (a.stale() ? " (late)" : "") + ". " + a.reason() + ". Alert " + a.id() + "."
                + (consoleLink(a) == null ? "" : " Open: " + consoleLink(a));
    }

    /** The alert's page in the web console (links.console), or null when no public URL is configured. */
    public static String consoleLink(Alert a) {
        return a.links() == null ? null : a.links().console();
    }

    /** e.g. "12 more alerts at Front door, 21:04-21:14" or "12 more alerts on 3 cameras, 21:04-21:14". */
    private String summaryTitle(Alert a) {
        Alert.Summary s = a.summary();
        if (s.missed()) { // e.g. "12 alerts missed while webhook was unreachable, 14:02-14:12"
            return s.count() + " alert" + (s.count() == 1 ? "" : "s") + " missed while " + s.channel()
                    + " was unreachable, " + HOUR.format(s.windowStart().atZone(zone)) + "-"
                    + HOUR.format(s.windowEnd().atZone(zone));
        }
        String where = s.byCamera().size() == 1 ? "at " + a.camera().name() : "on " + s.byCamera().size() + " cameras";
        return s.count() + " more alert" + (s.count() == 1 ? "" : "s") + " " + where + ", "
                + HOUR.format(s.windowStart().atZone(zone)) + "-" + HOUR.format(s.windowEnd().atZone(zone));
    }

    private static String counts(java.util.Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static String name(Alert a) {
        return a.person() == null || a.person().name() == null ? "a known face" : a.person().name();
    }
}
