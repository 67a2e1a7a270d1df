package dev.vigil.arming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.Json;
import dev.vigil.config.HomeArming;
import dev.vigil.config.Household;
import dev.vigil.config.Policy;
import dev.vigil.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedule and presence rules: the latest event wins, in the household's time zone. */
class ArmingRulesTest {

    @TempDir
    Path dir;

    static final ZoneId LONDON = ZoneId.of("Europe/London");

    Household household() {
        Policy policy = new Policy(LONDON, null, null, null, null, null, null, null);
        return new Household(List.of(), List.of(new Household.Person("alice", "Alice", null)), policy, null, null, null,
                new HomeArming(List.of(new HomeArming.Window(Policy.Mode.NIGHT, LocalTime.of(23, 0), LocalTime.of(6, 30))), null),
                Map.of("alice", new HomeArming.Presence("home/alice", null)));
    }

    static Instant london(String dateTime) {
        return java.time.LocalDateTime.parse(dateTime).atZone(LONDON).toInstant();
    }

    @Test
    void theNightWindowArmsAndDisarmsAndAManualChangeHoldsUntilTheNextEdge() {
        MutableClock clock = new MutableClock(london("2026-12-06T22:00:00"));
        Arming arming = new Arming(dir, Json.mapper(), clock, Policy.Mode.HOME);
        ArmingRules rules = new ArmingRules(arming, household());
        rules.tick(clock.instant());
        assertEquals(Policy.Mode.HOME, arming.mode(), "the window ended this morning, before the household mode was set");

        clock.set(london("2026-12-06T23:00:10"));
        rules.tick(clock.instant());
        assertEquals(Policy.Mode.NIGHT, arming.mode());
        assertEquals(ModeState.Reason.SCHEDULE, arming.state().reason());
        assertEquals("night 23:00-06:30 began", arming.state().detail());

        clock.set(london("2026-12-06T23:30:00"));
        arming.set(Policy.Mode.HOME, ModeState.Reason.MANUAL, "api");
        clock.set(london("2026-12-07T01:00:00"));
        rules.tick(clock.instant());
        assertEquals(Policy.Mode.HOME, arming.mode(), "a manual change holds inside the window");

        clock.set(london("2026-12-07T06:30:05"));
        rules.presence("alice", "not_home");
        assertEquals(Policy.Mode.AWAY, arming.mode());
        clock.set(london("2026-12-07T06:31:00"));
        rules.tick(clock.instant());
        assertEquals(Policy.Mode.AWAY, arming.mode(), "the presence change came after the window's end");
    }

    @Test
    void aWindowThatBeganWhileVigilWasStoppedAppliesAtStart() {
        MutableClock clock = new MutableClock(london("2026-12-06T18:00:00"));
        new Arming(dir, Json.mapper(), clock, Policy.Mode.HOME).set(Policy.Mode.AWAY, ModeState.Reason.MANUAL, "api");
        clock.set(london("2026-12-07T02:00:00"));
        Arming restarted = new Arming(dir, Json.mapper(), clock, Policy.Mode.HOME);
        assertEquals(Policy.Mode.AWAY, restarted.mode(), "kept across the restart");
        new ArmingRules(restarted, household()).tick(clock.instant());
        assertEquals(Policy.Mode.NIGHT, restarted.mode());
    }
}
