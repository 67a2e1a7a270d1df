package dev.vigil.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.Household;
import dev.vigil.config.Policy;
import dev.vigil.config.Policy.Mode;
import dev.vigil.config.Policy.Rule;
import dev.vigil.config.Thresholds;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Face;
import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeciderTest {

    private static final String FRONT = "front-door-cam";
    private static final String DRIVEWAY = "driveway-cam";
    private static final String FRAGMENT = "91343852333181467302591170480509604486953280253";
    /** 2024-03-05 14:00 UTC: a weekday afternoon, outside any quiet hours. */
    private static final Instant T0 = Instant.parse("2024-03-05T14:00:00Z");

    private static final Face GOOD = new Face(new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 99.9, 60, 80, 5, 3, 1);
    private static final Face PROFILE = new Face(new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 99.9, 60, 80, 70, 3, 1);

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    // ---- visits and minFrames ------------------------------------------------------------------------

    @Test
    void oneUnknownFrameNeverAlerts() {
        Decider decider = decider(policy(Mode.HOME));

        assertTrue(decider.decide(unknown(FRONT, T0)).isEmpty());
    }

    @Test
    void twoUnknownFramesAlertOncePerVisit() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> first = decider.decide(unknown(FRONT, T0));
        List<Alert> second = decider.decide(unknown(FRONT, T0.plusSeconds(1)));
        List<Alert> third = decider.decide(unknown(FRONT, T0.plusSeconds(2)));

        assertTrue(first.isEmpty());
        assertEquals(1, second.size());
        assertTrue(third.isEmpty(), "a decided visit does not alert again");

        Alert alert = second.get(0);
        assertEquals(Alert.VERSION, alert.version());
        assertEquals(AlertType.UNKNOWN_FACE, alert.type());
        assertEquals(Severity.WARNING, alert.severity());
        assertEquals(new Alert.Camera("front-door", "Front door", "Porch"), alert.camera());
        assertNull(alert.person());
        assertEquals(T0, alert.visit().firstSeen());
        assertEquals(T0.plusSeconds(1), alert.visit().lastSeen());
        assertEquals(2, alert.visit().frames());
        assertEquals(T0.plusSeconds(1), alert.observedAt());
        assertEquals(FRAGMENT, alert.source().fragmentNumber());
        assertTrue(alert.reason().contains("mode home"), alert.reason());
    }

    @Test
    void knownPersonAlertsNothingUnderTheDefaultPolicy() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> alerts = feed(decider, known("alice", FRONT, T0), known("alice", FRONT, T0.plusSeconds(1)),
                known("alice", FRONT, T0.plusSeconds(2)));

        assertTrue(alerts.isEmpty());
        assertEquals(3.0, metrics.counter("vigil.observations", "outcome", "known").count());
    }

    @Test
    void unidentifiableFaceIsRecordedButDoesNotAlertByDefault() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> alerts = feed(decider, profile(FRONT, T0), profile(FRONT, T0.plusSeconds(1)),
                profile(FRONT, T0.plusSeconds(2)));

        assertTrue(alerts.isEmpty());
        assertEquals(3.0, metrics.counter("vigil.observations", "outcome", "unidentifiable").count());
        assertEquals(1.0, metrics.counter("vigil.visits").count());
        assertEquals(0.0, metrics.counter("vigil.alerts.decided", "type", "unidentifiable_face").count());
    }

    // ---- visit window and cooldown -------------------------------------------------------------------

    @Test
    void gapLongerThanTheVisitWindowStartsANewVisitButTheCooldownSuppressesTheSecondAlert() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> firstVisit = feed(decider, unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(1)));
        // 59 s gap > 30 s window: a new visit, but within the 5 min cooldown
        List<Alert> secondVisit = feed(decider, unknown(FRONT, T0.plusSeconds(60)), unknown(FRONT, T0.plusSeconds(61)));

        assertEquals(1, firstVisit.size());
        assertTrue(secondVisit.isEmpty(), "cooldown suppresses the second alert");
        assertEquals(2.0, metrics.counter("vigil.visits").count(), "the gap started a second visit");
    }

    @Test
    void afterTheCooldownANewVisitAlertsAgain() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> firstVisit = feed(decider, unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(1)));
        List<Alert> laterVisit = feed(decider, unknown(FRONT, T0.plusSeconds(400)),
                unknown(FRONT, T0.plusSeconds(401)));

        assertEquals(1, firstVisit.size());
        assertEquals(1, laterVisit.size());
        assertNotEquals(firstVisit.get(0).visit().id(), laterVisit.get(0).visit().id());
        assertNotEquals(firstVisit.get(0).id(), laterVisit.get(0).id());
        assertEquals(T0.plusSeconds(400), laterVisit.get(0).visit().firstSeen());
    }

    @Test
    void framesWithinTheWindowStayInOneVisit() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> alerts = feed(decider, unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(29)),
                unknown(FRONT, T0.plusSeconds(58)));

        assertEquals(1, alerts.size());
        assertEquals(1.0, metrics.counter("vigil.visits").count());
    }

    @Test
    void camerasHaveIndependentVisitsAndCooldowns() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> alerts = feed(decider, unknown(FRONT, T0), unknown(DRIVEWAY, T0), unknown(FRONT, T0.plusSeconds(1)),
                unknown(DRIVEWAY, T0.plusSeconds(1)));

        assertEquals(List.of("front-door", "driveway"), alerts.stream().map(a -> a.camera().id()).toList());
    }

    // ---- identification after an alert ---------------------------------------------------------------

    @Test
    void unknownVisitThatAlertedAndIsThenIdentifiedGivesExactlyOneVisitUpdateWithTheSameVisitId() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> alerts = feed(decider,
                unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(1)),
                known("alice", FRONT, T0.plusSeconds(2)), known("alice", FRONT, T0.plusSeconds(3)),
                known("alice", FRONT, T0.plusSeconds(4)), known("alice", FRONT, T0.plusSeconds(5)));

        assertEquals(List.of(AlertType.UNKNOWN_FACE, AlertType.VISIT_UPDATE), types(alerts));
        Alert unknown = alerts.get(0);
        Alert update = alerts.get(1);
        assertEquals(unknown.visit().id(), update.visit().id());
        assertNotEquals(unknown.id(), update.id());
        assertEquals("alice", update.person().id());
        assertEquals("Alice", update.person().name());
        assertEquals(Severity.INFO, update.severity());
        assertEquals(T0, update.visit().firstSeen());
    }

    @Test
    void suspectedMatchThatAlertedAndIsThenIdentifiedGivesAVisitUpdate() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> alerts = feed(decider,
                match("alice", 85, FRONT, T0), match("alice", 86, FRONT, T0.plusSeconds(1)),
                known("alice", FRONT, T0.plusSeconds(2)), known("alice", FRONT, T0.plusSeconds(3)));

        assertEquals(List.of(AlertType.SUSPECTED_MATCH, AlertType.VISIT_UPDATE), types(alerts));
        assertEquals(alerts.get(0).visit().id(), alerts.get(1).visit().id());
    }

    @Test
    void suspectedMatchWithoutExternalImageIdThatIsThenIdentifiedGivesAVisitUpdate() {
        Decider decider = decider(policy(Mode.HOME));
        String faceId = "be032393-962b-48bd-8c1e-c2e9d7f999f0";

        List<Alert> alerts = feed(decider,
                observation(FRONT, T0, 0, FRAGMENT, GOOD, new FaceMatch(null, faceId, 85)),
                observation(FRONT, T0.plusSeconds(1), 0, FRAGMENT, GOOD, new FaceMatch(null, faceId, 86)),
                observation(FRONT, T0.plusSeconds(2), 0, FRAGMENT, GOOD, new FaceMatch(null, faceId, 99)),
                observation(FRONT, T0.plusSeconds(3), 0, FRAGMENT, GOOD, new FaceMatch(null, faceId, 99)));

        assertEquals(List.of(AlertType.SUSPECTED_MATCH, AlertType.VISIT_UPDATE), types(alerts));
        assertEquals(alerts.get(0).visit().id(), alerts.get(1).visit().id());
    }

    @Test
    void aRecordsFacesInOneBodyDecideWhatTheyDecideOneByOne() throws Exception {
        FaceObservation first = unknown(FRONT, T0);
        List<FaceObservation> frame = List.of(ofFrameWith(2, observation(FRONT, T0.plusSeconds(1), 0, FRAGMENT, GOOD)),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(1), 1, FRAGMENT, GOOD, aliceMatch(99))));
        FaceObservation last = ofFrameWith(2, observation(FRONT, T0.plusSeconds(2), 1, FRAGMENT, GOOD, aliceMatch(99)));
        Decider oneByOne = decider(policy(Mode.AWAY));
        List<Alert> expected = feed(oneByOne, first, frame.get(0), frame.get(1), last);

        Decider asRecords = decider(policy(Mode.AWAY)); // the route step: a record's observations are one body
        List<Alert> alerts = new java.util.ArrayList<>(asRecords.decide(first));
        try (org.apache.camel.CamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
            exchange.getMessage().setBody(frame);
            asRecords.process(exchange);
            alerts.addAll(exchange.getMessage().getBody(List.class));
        }
        alerts.addAll(asRecords.decide(last));

        assertEquals(List.of(AlertType.UNKNOWN_FACE, AlertType.KNOWN_PERSON), types(alerts));
        assertEquals(expected, alerts, "same alerts, ids and order");
    }

    @Test
    void secondFaceInTheSameFrameIsNotMergedIntoTheUnknownVisit() {
        Decider decider = decider(policy(Mode.AWAY)); // away: known people alert too, so both visits show

        List<Alert> alerts = feed(decider,
                unknown(FRONT, T0),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(1), 0, FRAGMENT, GOOD)),                 // stranger, face 0
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(1), 1, FRAGMENT, GOOD, aliceMatch(99))), // Alice, same frame
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(2), 1, FRAGMENT, GOOD, aliceMatch(99))));

        assertEquals(List.of(AlertType.UNKNOWN_FACE, AlertType.KNOWN_PERSON), types(alerts));
        assertNotEquals(alerts.get(0).visit().id(), alerts.get(1).visit().id(), "two faces in one frame: two people");
        assertEquals(T0.plusSeconds(1), alerts.get(1).visit().firstSeen());
    }

    @Test
    void strangerListedAfterAKnownPersonInTheSameFramesAlerts() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> alerts = feed(decider,
                known("alice", FRONT, T0), known("alice", FRONT, T0.plusSeconds(1)),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(2), 0, FRAGMENT, GOOD, aliceMatch(99))),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(2), 1, FRAGMENT, GOOD)),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(3), 0, FRAGMENT, GOOD, aliceMatch(99))),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(3), 1, FRAGMENT, GOOD)));

        assertEquals(List.of(AlertType.UNKNOWN_FACE), types(alerts));
    }

    @Test
    void strangerListedBeforeAKnownPersonInTheSameFramesAlerts() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> alerts = feed(decider,
                known("alice", FRONT, T0), known("alice", FRONT, T0.plusSeconds(1)),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(2), 0, FRAGMENT, GOOD)),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(2), 1, FRAGMENT, GOOD, aliceMatch(99))),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(3), 0, FRAGMENT, GOOD)),
                ofFrameWith(2, observation(FRONT, T0.plusSeconds(3), 1, FRAGMENT, GOOD, aliceMatch(99))));

        assertEquals(List.of(AlertType.UNKNOWN_FACE), types(alerts));
    }

    // ---- checkpoint low watermark ----------------------------------------------------------------------

    @Test
    void decisionStateDependsOnTheFirstFrameOfOpenAndCoolingDownVisitsOnly() {
        Decider decider = decider(policy(Mode.HOME));
        assertNull(decider.retainSince(FRONT), "nothing seen yet");

        feed(decider, unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(1)));
        assertEquals(T0, decider.retainSince(FRONT), "open visit that alerted");

        feed(decider, unknown(DRIVEWAY, T0.plusSeconds(200)));
        assertEquals(T0, decider.retainSince(FRONT), "cameras are independent");

        feed(decider, profile(FRONT, T0.plusSeconds(100)));
        assertEquals(T0, decider.retainSince(FRONT), "visit closed, but its alert still holds the cooldown");

        feed(decider, profile(FRONT, T0.plusSeconds(400)));
        assertEquals(T0.plusSeconds(400), decider.retainSince(FRONT), "cooldown over: only the open visit counts");
    }

    // ---- cameras -------------------------------------------------------------------------------------

    @Test
    void recordFromAStreamNoCameraClaimsAlertsWithTheStreamNameAsCameraId() {
        Decider decider = decider(policy(Mode.HOME));

        List<Alert> alerts = feed(decider, unknown("garage-cam", T0), unknown("garage-cam", T0.plusSeconds(1)));

        assertEquals(1, alerts.size());
        assertEquals("garage-cam", alerts.get(0).camera().id());
        assertEquals("garage-cam", alerts.get(0).camera().name());
        assertNull(alerts.get(0).camera().location());
    }

    @Test
    void cameraThresholdOverrideTurnsASmallFaceIntoAnUnknownFaceOnThatCameraOnly() {
        Decider decider = decider(policy(Mode.HOME));
        Face small = new Face(new Face.BoundingBox(0.4, 0.3, 0.03, 0.045), 99.9, 60, 80, 5, 3, 1);

        List<Alert> front = feed(decider, observation(FRONT, T0, 0, FRAGMENT, small),
                observation(FRONT, T0.plusSeconds(1), 0, FRAGMENT, small));
        List<Alert> driveway = feed(decider, observation(DRIVEWAY, T0, 0, FRAGMENT, small),
                observation(DRIVEWAY, T0.plusSeconds(1), 0, FRAGMENT, small));

        assertTrue(front.isEmpty(), "0.045 < default minFaceHeight 0.05: unidentifiable");
        assertEquals(List.of(AlertType.UNKNOWN_FACE), types(driveway), "driveway minFaceHeight is 0.04");
    }

    // ---- ids -----------------------------------------------------------------------------------------

    @Test
    void idsAreDeterministicAcrossFreshDeciders() {
        List<FaceObservation> scenario = List.of(
                unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(1)),
                known("alice", FRONT, T0.plusSeconds(2)), known("alice", FRONT, T0.plusSeconds(3)),
                unknown(DRIVEWAY, T0.plusSeconds(10)), unknown(DRIVEWAY, T0.plusSeconds(11)));

        List<Alert> first = feed(decider(policy(Mode.HOME)), scenario.toArray(FaceObservation[]::new));
        List<Alert> second = feed(decider(policy(Mode.HOME)), scenario.toArray(FaceObservation[]::new));

        assertEquals(3, first.size());
        assertEquals(first.stream().map(Alert::id).toList(), second.stream().map(Alert::id).toList());
        assertEquals(first.stream().map(a -> a.visit().id()).toList(),
                second.stream().map(a -> a.visit().id()).toList());
        assertEquals(first, second);
        for (Alert a : first) {
            assertTrue(a.id().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), a.id());
            assertTrue(a.visit().id().matches("v-[0-9a-f]{20}"), a.visit().id());
        }
    }

    @Test
    void differentFirstFramesGiveDifferentIds() {
        List<Alert> a = feed(decider(policy(Mode.HOME)), unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(1)));
        List<Alert> b = feed(decider(policy(Mode.HOME)), unknown(FRONT, T0.plusMillis(1)),
                unknown(FRONT, T0.plusSeconds(1)));

        assertNotEquals(a.get(0).visit().id(), b.get(0).visit().id());
        assertNotEquals(a.get(0).id(), b.get(0).id());
    }

    // ---- policy --------------------------------------------------------------------------------------

    @Test
    void neverRuleSilencesAKnownPersonInAwayMode() {
        Decider decider = decider(policy(Mode.AWAY, rule("bob", Rule.Notify.NEVER, null)));

        List<Alert> bob = feed(decider, known("bob", FRONT, T0), known("bob", FRONT, T0.plusSeconds(1)));
        List<Alert> alice = feed(decider, known("alice", DRIVEWAY, T0), known("alice", DRIVEWAY, T0.plusSeconds(1)));

        assertTrue(bob.isEmpty(), "notify: never");
        assertEquals(List.of(AlertType.KNOWN_PERSON), types(alice), "away mode alerts on known people without a rule");
        assertEquals(Severity.INFO, alice.get(0).severity());
    }

    @Test
    void arrivalRuleMakesAKnownPersonAlertWithTheRuleSeverity() {
        Decider decider = decider(policy(Mode.HOME, rule("alice", Rule.Notify.ARRIVAL, Severity.WARNING)));

        List<Alert> alerts = feed(decider, known("alice", FRONT, T0), known("alice", FRONT, T0.plusSeconds(1)));

        assertEquals(1, alerts.size());
        Alert alert = alerts.get(0);
        assertEquals(AlertType.KNOWN_PERSON, alert.type());
        assertEquals(Severity.WARNING, alert.severity());
        assertEquals(new Alert.Person("alice", "Alice", 99.0, "face-alice"), alert.person());
        assertTrue(alert.reason().contains("rule"), alert.reason());
    }

    @Test
    void awayModeMakesAnUnknownFaceCritical() {
        Decider decider = decider(policy(Mode.AWAY));

        List<Alert> alerts = feed(decider, unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(1)));

        assertEquals(1, alerts.size());
        assertEquals(Severity.CRITICAL, alerts.get(0).severity());
        assertTrue(alerts.get(0).reason().contains("mode away"), alerts.get(0).reason());
    }

    @Test
    void expiresAtIsObservedAtPlusAlertTtl() {
        Policy tenMinutes = new Policy(null, Mode.HOME, null, null, Duration.ofMinutes(10), null, null, null);
        Decider decider = decider(tenMinutes);

        Alert alert = feed(decider, unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(1))).get(0);

        assertEquals(T0.plusSeconds(1), alert.observedAt());
        assertEquals(T0.plusSeconds(1).plus(Duration.ofMinutes(10)), alert.expiresAt());
    }

    @Test
    void defaultAlertTtlIsFifteenMinutes() {
        Alert alert = feed(decider(policy(Mode.HOME)), unknown(FRONT, T0), unknown(FRONT, T0.plusSeconds(1))).get(0);

        assertEquals(alert.observedAt().plus(Duration.ofMinutes(15)), alert.expiresAt());
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Decider decider(Policy policy) {
        Household household = new Household(
                List.of(new Household.Camera("front-door", "Front door", "Porch", FRONT, null, null),
                        new Household.Camera("driveway", "Driveway", null, DRIVEWAY, null,
                                new Thresholds(null, null, null, null, null, null, 0.04))),
                List.of(new Household.Person("alice", "Alice", List.of("family")),
                        new Household.Person("bob", "Bob", List.of("family"))),
                policy);
        return new Decider(household, metrics);
    }

    private static Policy policy(Mode mode, Rule... rules) {
        return new Policy(null, mode, null, null, null, null, null, List.of(rules));
    }

    private static Rule rule(String person, Rule.Notify notify, Severity severity) {
        return new Rule(person, null, notify, severity, null, null);
    }

    private static List<Alert> feed(Decider decider, FaceObservation... observations) {
        List<Alert> alerts = new ArrayList<>();
        for (FaceObservation o : observations) {
            alerts.addAll(decider.decide(o));
        }
        return alerts;
    }

    private static List<AlertType> types(List<Alert> alerts) {
        return alerts.stream().map(Alert::type).toList();
    }

    private static FaceObservation unknown(String stream, Instant t) {
        return observation(stream, t, 0, FRAGMENT, GOOD);
    }

    private static FaceObservation profile(String stream, Instant t) {
        return observation(stream, t, 0, FRAGMENT, PROFILE);
    }

    private static FaceObservation known(String personId, String stream, Instant t) {
        return match(personId, 99, stream, t);
    }

    private static FaceObservation match(String personId, double similarity, String stream, Instant t) {
        return observation(stream, t, 0, FRAGMENT, GOOD, new FaceMatch(personId, "face-" + personId, similarity));
    }

    private static FaceMatch aliceMatch(double similarity) {
        return new FaceMatch("alice", "face-alice", similarity);
    }

    private static FaceObservation observation(String stream, Instant t, int faceIndex, String fragment, Face face,
                                               FaceMatch... matches) {
        Source source = new Source(Source.STREAM_PROCESSOR,
                "arn:aws:kinesisvideo:eu-west-2:123456789012:stream/" + stream + "/1700000000000", fragment,
                t.minusMillis(500), "test#" + t.toEpochMilli() + "." + faceIndex);
        return new FaceObservation(stream, t, faceIndex, faceIndex + 1, face, List.of(matches), source);
    }

    /** The same observation in a frame of {@code faces} faces. */
    private static FaceObservation ofFrameWith(int faces, FaceObservation o) {
        return new FaceObservation(o.cameraKey(), o.frameTime(), o.faceIndex(), faces, o.face(), o.matches(), o.source());
    }
}
