package dev.vigil.decide;

import dev.vigil.decide.Classifier.Classification;
import dev.vigil.model.FaceMatch;

/** The identity a visit is about, as a key: per person for matches, one bucket each for the rest. */
final class Identity {
    private Identity() {
    }

    static String of(Classification c) {
        return switch (c.outcome()) {
            case KNOWN -> "person:" + who(c.match());
            case SUSPECTED -> suspect(c.match());
            case UNKNOWN -> "unknown";
            case UNIDENTIFIABLE -> "unidentifiable";
        };
    }

    static String suspect(FaceMatch match) {
        return "suspect:" + who(match);
    }

    /** A match without ExternalImageId is keyed by its collection face id. */
    private static String who(FaceMatch m) {
        return m.personId() != null ? m.personId() : "face:" + m.faceId();
    }
}
