package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Alert severity, lowest first; {@link #NONE} means "do not alert". */
public enum Severity {
    NONE, INFO, WARNING, CRITICAL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
