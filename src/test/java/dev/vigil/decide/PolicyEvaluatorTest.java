package dev.vigil.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.Household;
import dev.vigil.config.Policy;
import dev.vigil.config.Policy.Mode;
import dev.vigil.config.Policy.QuietHours;
import dev.vigil.config.Policy.Rule;
import dev.vigil.decide.PolicyEvaluator.Verdict;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final QuietHours NIGHT_QUIET = new QuietHours(LocalTime.of(23, 0), LocalTime.of(6, 30), null);

    // ---- quiet hours ---------------------------------------------------------------------------------

    @Test
    void quietHoursCrossingMidnightHoldBackAWarning() {
        PolicyEvaluator evaluator = evaluator(new Policy(UTC, Mode.HOME, null, null, null, NIGHT_QUIET, null, null));

        for (String time : List.of("23:00:00", "23:30:00", "00:00:00", "03:15:00", "06:29:59")) {
            Verdict v = evaluator.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, at("2024-03-05", time));
            assertEquals(Severity.NONE, v.severity(), time);
            assertFalse(v.alerts(), time);
            assertTrue(v.reason().startsWith("quiet hours"), v.reason());
        }
    }

    @Test
    void outsideQuietHoursAWarningGoesOut() {
        PolicyEvaluator evaluator = evaluator(new Policy(UTC, Mode.HOME, null, null, null, NIGHT_QUIET, null, null));

        for (String time : List.of("06:30:00", "12:00:00", "22:59:59")) {
            Verdict v = evaluator.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, at("2024-03-05", time));
            assertEquals(Severity.WARNING, v.severity(), time);
        }
    }

    @Test
    void quietHoursLetACriticalAlertThrough() {
        PolicyEvaluator evaluator = evaluator(new Policy(UTC, Mode.AWAY, null, null, null, NIGHT_QUIET, null, null));

        Verdict v = evaluator.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, at("2024-03-05", "02:00:00"));

        assertEquals(Severity.CRITICAL, v.severity());
    }

    @Test
    void quietHoursAllowLevelIsConfigurable() {
        QuietHours allowWarnings = new QuietHours(LocalTime.of(23, 0), LocalTime.of(6, 30), Severity.WARNING);
        PolicyEvaluator evaluator = evaluator(new Policy(UTC, Mode.HOME, null, null, null, allowWarnings, null, null));
        Instant night = at("2024-03-05", "02:00:00");

        assertEquals(Severity.WARNING, evaluator.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, night).severity());
        assertEquals(Severity.NONE,
                evaluator.evaluate(AlertType.SUSPECTED_MATCH, "front-door", "alice", night).severity());
    }

    @Test
    void visitUpdateIsNotHeldBackByQuietHours() {
        PolicyEvaluator evaluator = evaluator(new Policy(UTC, Mode.HOME, null, null, null, NIGHT_QUIET, null, null));

        Verdict v = evaluator.evaluate(AlertType.VISIT_UPDATE, "front-door", "alice", at("2024-03-05", "02:00:00"));

        assertEquals(Severity.INFO, v.severity());
    }

    @Test
    void quietHoursUseThePolicyTimeZoneInSummerTime() {
        PolicyEvaluator london = evaluator(new Policy(LONDON, Mode.HOME, null, null, null, NIGHT_QUIET, null, null));
        PolicyEvaluator utc = evaluator(new Policy(UTC, Mode.HOME, null, null, null, NIGHT_QUIET, null, null));
        Instant lateEvening = Instant.parse("2024-07-01T22:30:00Z"); // 23:30 BST
        Instant earlyMorning = Instant.parse("2024-07-02T05:45:00Z"); // 06:45 BST

        assertEquals(Severity.NONE, london.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, lateEvening).severity());
        assertEquals(Severity.WARNING, utc.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, lateEvening).severity());
        assertEquals(Severity.WARNING,
                london.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, earlyMorning).severity());
        assertEquals(Severity.NONE, utc.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, earlyMorning).severity());
    }

    @Test
    void londonIsUtcInWinter() {
        PolicyEvaluator london = evaluator(new Policy(LONDON, Mode.HOME, null, null, null, NIGHT_QUIET, null, null));

        assertEquals(Severity.WARNING, london.evaluate(AlertType.UNKNOWN_FACE, "front-door", null,
                Instant.parse("2024-01-15T22:30:00Z")).severity());
        assertEquals(Severity.NONE, london.evaluate(AlertType.UNKNOWN_FACE, "front-door", null,
                Instant.parse("2024-01-15T23:30:00Z")).severity());
    }

    // ---- mode table ----------------------------------------------------------------------------------

    @Test
    void modeTableGivesTheSeverityWithoutRules() {
        PolicyEvaluator home = evaluator(policy(Mode.HOME));
        PolicyEvaluator night = evaluator(policy(Mode.NIGHT));
        Instant noon = at("2024-03-05", "12:00:00");

        assertEquals(Severity.NONE, home.evaluate(AlertType.KNOWN_PERSON, "front-door", "alice", noon).severity());
        assertEquals(Severity.INFO, home.evaluate(AlertType.SUSPECTED_MATCH, "front-door", "alice", noon).severity());
        assertEquals(Severity.CRITICAL, night.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, noon).severity());
        assertEquals(Severity.INFO,
                night.evaluate(AlertType.UNIDENTIFIABLE_FACE, "front-door", null, noon).severity());
        assertEquals("mode night", night.evaluate(AlertType.UNKNOWN_FACE, "front-door", null, noon).reason());
    }

    // ---- person and group rules ----------------------------------------------------------------------

    @Test
    void ruleLimitedToCamerasAppliesOnlyAtThoseCameras() {
        Rule aliceAtFrontDoor = new Rule("alice", null, Rule.Notify.ARRIVAL, null, List.of("front-door"), null);
        PolicyEvaluator evaluator = evaluator(policy(Mode.HOME, aliceAtFrontDoor));
        Instant noon = at("2024-03-05", "12:00:00");

        Verdict front = evaluator.evaluate(AlertType.KNOWN_PERSON, "front-door", "alice", noon);
        Verdict driveway = evaluator.evaluate(AlertType.KNOWN_PERSON, "driveway", "alice", noon);

        assertEquals(Severity.INFO, front.severity());
        assertTrue(front.reason().contains("rule"), front.reason());
        assertEquals(Severity.NONE, driveway.severity(), "home mode table: known_person none");
    }

    @Test
    void ruleLimitedToModesAppliesOnlyInThoseModes() {
        Rule aliceWhenAway = new Rule("alice", null, Rule.Notify.ARRIVAL, Severity.WARNING, null, List.of(Mode.AWAY));
        Instant noon = at("2024-03-05", "12:00:00");

        Verdict home = evaluator(policy(Mode.HOME, aliceWhenAway))
                .evaluate(AlertType.KNOWN_PERSON, "front-door", "alice", noon);
        Verdict away = evaluator(policy(Mode.AWAY, aliceWhenAway))
                .evaluate(AlertType.KNOWN_PERSON, "front-door", "alice", noon);

        assertEquals(Severity.NONE, home.severity());
        assertEquals(Severity.WARNING, away.severity(), "the rule's severity, not the away table's info");
    }

    @Test
    void firstMatchingRuleWins() {
        Rule aliceNever = new Rule("alice", null, Rule.Notify.NEVER, null, null, null);
        Rule familyArrival = new Rule(null, "family", Rule.Notify.ARRIVAL, Severity.WARNING, null, null);
        Instant noon = at("2024-03-05", "12:00:00");

        PolicyEvaluator aliceFirst = evaluator(policy(Mode.HOME, aliceNever, familyArrival));
        PolicyEvaluator familyFirst = evaluator(policy(Mode.HOME, familyArrival, aliceNever));

        assertEquals(Severity.NONE, aliceFirst.evaluate(AlertType.KNOWN_PERSON, "front-door", "alice", noon).severity());
        assertEquals(Severity.WARNING,
                aliceFirst.evaluate(AlertType.KNOWN_PERSON, "front-door", "bob", noon).severity());
        assertEquals(Severity.WARNING,
                familyFirst.evaluate(AlertType.KNOWN_PERSON, "front-door", "alice", noon).severity());
    }

    @Test
    void groupRuleAppliesToEveryMemberAndNobodyElse() {
        Rule familyNever = new Rule(null, "family", Rule.Notify.NEVER, null, null, null);
        PolicyEvaluator evaluator = evaluator(policy(Mode.AWAY, familyNever));
        Instant noon = at("2024-03-05", "12:00:00");

        assertEquals(Severity.NONE, evaluator.evaluate(AlertType.KNOWN_PERSON, "front-door", "alice", noon).severity());
        assertEquals(Severity.NONE, evaluator.evaluate(AlertType.KNOWN_PERSON, "front-door", "bob", noon).severity());
        assertEquals(Severity.INFO, evaluator.evaluate(AlertType.KNOWN_PERSON, "front-door", "carol", noon).severity(),
                "carol is in the household but not in the family group: away table applies");
        assertEquals(Severity.INFO,
                evaluator.evaluate(AlertType.KNOWN_PERSON, "front-door", "stranger-in-collection", noon).severity());
    }

    @Test
    void rulesDoNotApplyToSuspectedMatches() {
        Rule aliceNever = new Rule("alice", null, Rule.Notify.NEVER, null, null, null);
        PolicyEvaluator evaluator = evaluator(policy(Mode.HOME, aliceNever));

        Verdict v = evaluator.evaluate(AlertType.SUSPECTED_MATCH, "front-door", "alice", at("2024-03-05", "12:00:00"));

        assertEquals(Severity.INFO, v.severity(), "a suspected match is not known to be Alice");
    }

    @Test
    void rulesApplyToVisitUpdates() {
        Rule aliceNever = new Rule("alice", null, Rule.Notify.NEVER, null, null, null);
        Rule bobArrival = new Rule("bob", null, Rule.Notify.ARRIVAL, Severity.WARNING, null, null);
        PolicyEvaluator evaluator = evaluator(policy(Mode.HOME, aliceNever, bobArrival));
        Instant noon = at("2024-03-05", "12:00:00");

        assertEquals(Severity.NONE, evaluator.evaluate(AlertType.VISIT_UPDATE, "front-door", "alice", noon).severity());
        assertEquals(Severity.WARNING, evaluator.evaluate(AlertType.VISIT_UPDATE, "front-door", "bob", noon).severity());
        assertEquals(Severity.INFO, evaluator.evaluate(AlertType.VISIT_UPDATE, "front-door", "carol", noon).severity());
    }

    @Test
    void arrivalRuleDuringQuietHoursIsHeldBackBelowTheAllowLevel() {
        Rule aliceArrival = new Rule("alice", null, Rule.Notify.ARRIVAL, null, null, null);
        PolicyEvaluator evaluator = evaluator(
                new Policy(UTC, Mode.HOME, null, null, null, NIGHT_QUIET, null, List.of(aliceArrival)));

        Verdict v = evaluator.evaluate(AlertType.KNOWN_PERSON, "front-door", "alice", at("2024-03-05", "01:00:00"));

        assertEquals(Severity.NONE, v.severity());
        assertTrue(v.reason().contains("quiet hours") && v.reason().contains("rule"), v.reason());
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static PolicyEvaluator evaluator(Policy policy) {
        Household household = new Household(
                List.of(new Household.Camera("front-door", "Front door", null, "front-door-cam", null, null),
                        new Household.Camera("driveway", "Driveway", null, "driveway-cam", null, null)),
                List.of(new Household.Person("alice", "Alice", List.of("family")),
                        new Household.Person("bob", "Bob", List.of("family")),
                        new Household.Person("carol", "Carol", List.of("neighbours"))),
                policy);
        return new PolicyEvaluator(household.policy(), new Directory(household));
    }

    private static Policy policy(Mode mode, Rule... rules) {
        return new Policy(UTC, mode, null, null, null, null, null, List.of(rules));
    }

    private static Instant at(String date, String utcTime) {
        return Instant.parse(date + "T" + utcTime + "Z");
    }
}
