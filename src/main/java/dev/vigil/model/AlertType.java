package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum AlertType {
    UNKNOWN_FACE, KNOWN_PERSON, SUSPECTED_MATCH, UNIDENTIFIABLE_FACE, VISIT_UPDATE,
    /** Image engine in degraded mode: movement seen, identity not checked (the daily budget is reached). */
    MOTION,
    /** Image engine: a camera's or the household's daily Rekognition budget is reached; says how it degrades. */
    BUDGET_REACHED,
    /** Not decided from a face: a channel's rate guard folding the alerts it held back into one. */
    SUMMARY;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AlertType of(Outcome outcome) {
        return switch (outcome) {
            case KNOWN -> KNOWN_PERSON;
            case SUSPECTED -> SUSPECTED_MATCH;
            case UNKNOWN -> UNKNOWN_FACE;
            case UNIDENTIFIABLE -> UNIDENTIFIABLE_FACE;
        };
    }

    public static AlertType fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
