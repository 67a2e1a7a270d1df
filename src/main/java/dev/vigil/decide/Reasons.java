package dev.vigil.decide;

import dev.vigil.model.AlertType;
import dev.vigil.model.FaceMatch;
import java.util.Locale;

/** The one-sentence "why" an alert carries. Uses ids, never names. */
final class Reasons {
    private Reasons() {
    }

    static String describe(AlertType type, Visit v, FaceMatch match, PolicyEvaluator.Verdict verdict) {
        String what = switch (type) {
            case KNOWN_PERSON -> "matched " + who(match) + " at " + pct(match);
            case SUSPECTED_MATCH -> "best match " + who(match) + " at " + pct(match) + ", below the match threshold";
            case UNKNOWN_FACE -> "usable face with no match in the collection";
            case UNIDENTIFIABLE_FACE -> "face too poor to identify";
            case VISIT_UPDATE -> "this visit's " + v.alerted.wire() + " alert is " + who(match) + ", matched at " + pct(match);
            case MOTION, BUDGET_REACHED -> type.wire(); // built by the image engine, never by visits
            case SUMMARY -> throw new IllegalArgumentException("summaries are made by the rate guard, not decided");
        };
        return what + " in " + v.agreeing + " agreeing frames; " + verdict.reason();
    }

    private static String who(FaceMatch m) {
        return m.personId() != null ? m.personId() : "collection face " + m.faceId();
    }

    private static String pct(FaceMatch m) {
        return String.format(Locale.ROOT, "%.1f%%", m.similarity());
    }
}
