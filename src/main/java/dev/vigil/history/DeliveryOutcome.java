package dev.vigil.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What became of an alert on one channel. */
public enum DeliveryOutcome {
    /** The channel accepted it. */
    DELIVERED,
    /** It is in the channel's dead letters (after retries, expired, circuit open, or a failure). */
    DEAD_LETTERED,
    /** The channel's rate guard held it; it is part of a summary alert. */
    HELD;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DeliveryOutcome fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
