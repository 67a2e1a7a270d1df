package dev.vigil.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * When to alert. Every field is optional in the household file; the defaults alert on every unknown-face
 * visit (warning), never on known people, and record unidentifiable faces without alerting.
 *
 * @param timeZone   zone for quiet hours and local times in alerts (default UTC)
 * @param mode       arming mode: home, away or night (default home)
 * @param thresholds classification thresholds (see {@link Thresholds})
 * @param visit      how frames are grouped into visits
 * @param alertTtl   how long an alert stays actionable after the frame it is about (sets expiresAt)
 * @param quietHours a daily window in which only alerts of at least a given severity go out
 * @param modes      per mode, the severity of each alert type (none = no alert); merged over {@link #DEFAULT_MODES}
 * @param rules      per-person or per-group rules, first match wins
 */
public record Policy(ZoneId timeZone, Mode mode, Thresholds thresholds, VisitSettings visit, Duration alertTtl,
                     QuietHours quietHours, Map<Mode, Map<AlertType, Severity>> modes, List<Rule> rules) {

    public enum Mode { HOME, AWAY, NIGHT }

    public static final Map<Mode, Map<AlertType, Severity>> DEFAULT_MODES = Map.of(
            Mode.HOME, Map.of(AlertType.UNKNOWN_FACE, Severity.WARNING, AlertType.SUSPECTED_MATCH, Severity.INFO,
                    AlertType.KNOWN_PERSON, Severity.NONE, AlertType.UNIDENTIFIABLE_FACE, Severity.NONE),
            Mode.AWAY, Map.of(AlertType.UNKNOWN_FACE, Severity.CRITICAL, AlertType.SUSPECTED_MATCH, Severity.WARNING,
                    AlertType.KNOWN_PERSON, Severity.INFO, AlertType.UNIDENTIFIABLE_FACE, Severity.WARNING),
            Mode.NIGHT, Map.of(AlertType.UNKNOWN_FACE, Severity.CRITICAL, AlertType.SUSPECTED_MATCH, Severity.WARNING,
                    AlertType.KNOWN_PERSON, Severity.NONE, AlertType.UNIDENTIFIABLE_FACE, Severity.INFO));

    public static final Policy DEFAULT = new Policy(null, null, null, null, null, null, null, null);

    public Policy {
        timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
        mode = mode == null ? Mode.HOME : mode;
        thresholds = thresholds == null ? Thresholds.DEFAULTS : thresholds.over(Thresholds.DEFAULTS);
        visit = visit == null ? VisitSettings.DEFAULT : visit;
        alertTtl = alertTtl == null ? Duration.ofMinutes(15) : alertTtl;
        modes = merge(modes);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** Severity of an alert type in a mode, before person rules and quiet hours. */
    public Severity severity(Mode m, AlertType type) {
        return modes.get(m).getOrDefault(type, Severity.NONE);
    }

    private static Map<Mode, Map<AlertType, Severity>> merge(Map<Mode, Map<AlertType, Severity>> overrides) {
        Map<Mode, Map<AlertType, Severity>> merged = new EnumMap<>(Mode.class);
        for (Mode m : Mode.values()) {
            Map<AlertType, Severity> table = new EnumMap<>(DEFAULT_MODES.get(m));
            if (overrides != null && overrides.get(m) != null) {
                table.putAll(overrides.get(m));
            }
            merged.put(m, Map.copyOf(table));
        }
        return Map.copyOf(merged);
    }

    /**
     * @param window    a gap between two frames longer than this closes a visit (default 30s)
     * @param minFrames agreeing frames needed before a visit is decided (default 2)
     * @param cooldown  after an alert, no new alert for the same camera and identity for this long (default 5m)
     */
    public record VisitSettings(Duration window, Integer minFrames, Duration cooldown) {
        public static final VisitSettings DEFAULT = new VisitSettings(null, null, null);

        public VisitSettings {
            window = window == null ? Duration.ofSeconds(30) : window;
            minFrames = minFrames == null ? 2 : minFrames;
            cooldown = cooldown == null ? Duration.ofMinutes(5) : cooldown;
        }
    }

    /** @param allow lowest severity that still alerts during quiet hours (default critical) */
    public record QuietHours(LocalTime from, LocalTime to, Severity allow) {
        public QuietHours {
            allow = allow == null ? Severity.CRITICAL : allow;
        }

        public boolean contains(LocalTime t) {
            return from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
        }
    }

    /**
     * A rule about a known person, by {@code person} id or by {@code group}, optionally limited to some
     * cameras and modes. {@code notify: never} silences alerts about them; {@code notify: arrival} alerts
     * when they arrive (with {@code severity}, default info), whatever the mode table says.
     */
    public record Rule(String person, String group, @JsonProperty("notify") Notify action, Severity severity, List<String> cameras,
                       List<Mode> modes) {
        public enum Notify { NEVER, ARRIVAL }

        public Rule {
            severity = severity == null ? Severity.INFO : severity;
            cameras = cameras == null ? List.of() : List.copyOf(cameras);
            modes = modes == null ? List.of() : List.copyOf(modes);
        }
    }
}
