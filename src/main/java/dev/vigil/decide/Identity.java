package dev.vigil.decide;

import dev.vigil.decide.Classifier.Classification;

/** The identity a visit is about, as a key: per person for matches, one bucket each for the rest. */
final class Identity {
    private Identity() {
    }

    static String of(Classification c) {
        return switch (c.outcome()) {
            case KNOWN -> person(c.match().personId(), c.match().faceId());
            case SUSPECTED -> suspect(c.match().personId() != null ? c.match().personId() : "face:" + c.match().faceId());
            case UNKNOWN -> "unknown";
            case UNIDENTIFIABLE -> "unidentifiable";
        };
    }

    /** A match without ExternalImageId is keyed by its collection face id. */
    static String person(String personId, String faceId) {
        return "person:" + (personId != null ? personId : "face:" + faceId);
    }

    static String suspect(String personId) {
        return "suspect:" + personId;
    }
}
