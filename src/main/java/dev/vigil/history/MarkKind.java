package dev.vigil.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the household said about an alert (teach developer: POST /api/alerts/{id}/teach and /not). */
public enum MarkKind {
    TAUGHT, NOT_A_MATCH;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MarkKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
