package dev.vigil.config;

import java.time.LocalTime;
import java.util.List;

/**
 * Automatic arming, household key {@code arming:} (docs/home-assistant.md); who is home comes from the
 * household's {@code presence:} (person id -> {@link Presence}).
 *
 * @param schedule daily windows in {@code policy.timeZone} with their mode, e.g. night 23:00-06:30: the window's
 *                 mode is put in force when it begins, and when it ends the mode presence says (home, or away
 *                 when everyone is away)
 * @param awayMode the mode when everyone with a presence source is away (default away)
 */
public record HomeArming(List<Window> schedule, Policy.Mode awayMode) {

    public static final HomeArming NONE = new HomeArming(null, null);

    public HomeArming {
        schedule = schedule == null ? List.of() : List.copyOf(schedule);
        awayMode = awayMode == null ? Policy.Mode.AWAY : awayMode;
    }

    /** A daily window, e.g. {mode: night, from: "23:00", to: "06:30"} (may cross midnight). */
    public record Window(Policy.Mode mode, LocalTime from, LocalTime to) {
        public boolean contains(LocalTime t) {
            return from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
        }
    }

    /**
     * @param topic the MQTT topic carrying the person's state: a Home Assistant {@code person} or
     *              {@code device_tracker} state topic (e.g. with mqtt_statestream: homeassistant/person/alice/state),
     *              or any topic your phone app publishes to
     * @param home  payloads that mean "at home" (default home, on); anything else is away
     */
    public record Presence(String topic, List<String> home) {
        public Presence {
            home = home == null || home.isEmpty() ? List.of("home", "on") : List.copyOf(home);
        }

        public boolean isHome(String payload) {
            return payload != null && home.stream().anyMatch(h -> h.equalsIgnoreCase(payload.trim()));
        }
    }
}
