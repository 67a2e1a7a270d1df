package dev.vigil.arming;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.vigil.config.Policy;
import java.time.Instant;
import java.util.Locale;

/**
 * The household's arming mode, why it is in force, since when, and who or what set it.
 *
 * @param detail a few words: "api", "mqtt", "night 23:00-06:30", "everyone away", "household file"
 */
public record ModeState(Policy.Mode mode, Reason reason, Instant since, String detail) {

    /** Why the mode is in force. The latest event wins: a manual change holds until the next schedule or presence change. */
    public enum Reason {
        /** the household file's policy.mode (nothing has changed it yet) */
        DEFAULT,
        /** set by hand: PUT /api/mode or the Home Assistant select */
        MANUAL,
        /** a schedule window began or ended */
        SCHEDULE,
        /** everyone left, or someone came home */
        PRESENCE;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public String modeName() {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
