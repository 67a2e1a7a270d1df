package dev.vigil.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.Json;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Household;
import dev.vigil.config.Policy;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Face;
import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Source;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.SimpleRegistry;
import org.junit.jupiter.api.Test;

/** Frame identity, event-time order, late frames and camera clocks (FrameGate and the Decider, issue 17). */
class FramesInTimeTest {

    private static final String FRONT = "front-door-cam";
    private static final String FRAGMENT = "91343852333181467302591170480509604486953280253";
    private static final Instant T0 = Instant.parse("2024-03-05T14:00:00Z");
    private static final Face GOOD = new Face(new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 99.9, 60, 80, 5, 3, 1);

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final FrameGate gate = new FrameGate(FrameGate.Rules.DEFAULTS, metrics);
    private final Decider decider = new Decider(household(), gate, metrics);

    // ---- a frame is counted once ----------------------------------------------------------------------

    @Test
    void theRealUnknownFrameDeliveredTwiceIsOneFrameAndDoesNotAlert() {
        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        String first = Fixtures.realUnknownPair().get(0);
        Decider lab = new Decider(labHousehold(), gate, metrics);

        List<Alert> alerts = new ArrayList<>();
        alerts.addAll(lab.decide(parser.parse(first, "shard#1").get(0)));
        alerts.addAll(lab.decide(parser.parse(first, "shard#2").get(0)));

        assertTrue(alerts.isEmpty(), "one frame, even delivered twice, never alerts");
        assertEquals(1, duplicates());
    }

    @Test
    void twoRealFramesEachDeliveredTwiceAlertOnceAtTheSecondFrameWithTwoFrames() {
        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        List<String> pair = Fixtures.realUnknownPair();
        Decider lab = new Decider(labHousehold(), gate, metrics);

        List<Alert> alerts = new ArrayList<>();
        for (String record : List.of(pair.get(0), pair.get(0), pair.get(1), pair.get(1))) {
            alerts.addAll(lab.decide(parser.parse(record, "r").get(0)));
        }

        assertEquals(1, alerts.size());
        assertEquals(2, alerts.get(0).visit().frames());
        assertEquals(parser.parse(pair.get(1), "r").get(0).frameTime(), alerts.get(0).observedAt(),
                "decided at the second distinct frame, not at the first frame's duplicate");
        assertEquals(2, duplicates());
    }

    @Test
    void twoFacesOfOneFrameAreTwoObservationsButEachAgainIsADuplicate() {
        FaceObservation left = face(unknown(T0), 0, 2, new Face.BoundingBox(0.1, 0.3, 0.1, 0.2));
        FaceObservation right = face(unknown(T0), 1, 2, new Face.BoundingBox(0.6, 0.3, 0.1, 0.2));

        decider.decide(left);
        decider.decide(right);
        decider.decide(right);

        assertEquals(1, duplicates());
        assertEquals(2, gate.remembered("front-door"));
    }

    @Test
    void imageEngineFramesAreIdentifiedByProducerTimestampAndBox() {
        FaceObservation a = imageFrame(T0);
        FaceObservation again = imageFrame(T0);
        FaceObservation next = imageFrame(T0.plusSeconds(1));

        assertEquals(FrameId.of(a), FrameId.of(again));
        assertFalse(FrameId.of(a).equals(FrameId.of(next)));
        assertTrue(decider.decide(a).isEmpty());
        assertTrue(decider.decide(again).isEmpty());
        assertEquals(1, decider.decide(next).size());
    }

    @Test
    void frameMemoryIsBoundedPerCamera() {
        FrameGate small = new FrameGate(new FrameGate.Rules(Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofMinutes(10), 8), metrics);
        Decider d = new Decider(household(), small, metrics);
        for (int i = 0; i < 100; i++) {
            d.decide(unknown(T0.plusSeconds(i)));
        }
        assertEquals(8, small.remembered("front-door"));
    }

    // ---- order by event time --------------------------------------------------------------------------

    @Test
    void framesSwappedWithinTheWindowGiveTheSameAlertIdAsInOrder() {
        Alert inOrder = only(new Decider(household(), new FrameGate(FrameGate.Rules.DEFAULTS, metrics), metrics),
                unknown(T0), unknown(T0.plusMillis(900)), unknown(T0.plusMillis(1800)));
        Alert swapped = only(decider, unknown(T0.plusMillis(900)), unknown(T0), unknown(T0.plusMillis(1800)));

        assertEquals(inOrder.id(), swapped.id());
        assertEquals(inOrder.visit().id(), swapped.visit().id());
        assertEquals(T0, swapped.visit().firstSeen());
        assertEquals(T0.plusMillis(900), swapped.observedAt(), "decided at the newest agreeing frame");
        assertFalse(swapped.stale());
        assertEquals(1, counter("vigil.frames.reordered"));
    }

    @Test
    void onOneShardOrInAReplayTheAlertGoesOutAtTheSecondFrameWithoutWaiting() {
        List<Alert> alerts = feed(decider, onShard(0, unknown(T0)), onShard(0, unknown(T0.plusMillis(900))));

        assertEquals(1, alerts.size(), "in order on one shard: nothing is held");
    }

    @Test
    void overTwoShardsAVisitsFirstAlertWaitsUntilTheWindowHasPassedItsFirstFrame() {
        decider.shards("front-door", 2); // as the Kinesis source declares a results stream of two shards
        List<Alert> alerts = new ArrayList<>(feed(decider, onShard(1, unknown(T0.plusMillis(900))),
                onShard(0, unknown(T0.plusMillis(1800)))));
        assertTrue(alerts.isEmpty(), "held: an earlier frame may still come over the other shard");

        alerts.addAll(decider.decide(onShard(1, unknown(T0))));
        assertTrue(alerts.isEmpty());
        alerts.addAll(decider.decide(onShard(0, unknown(T0.plusMillis(2100)))));

        Alert inOrder = only(new Decider(household(), new FrameGate(FrameGate.Rules.DEFAULTS, metrics), metrics),
                unknown(T0), unknown(T0.plusMillis(900)));
        assertEquals(1, alerts.size());
        assertEquals(inOrder.id(), alerts.get(0).id(), "the id of the visit's true first frame, as in event-time order");
        assertEquals(T0.plusMillis(900), alerts.get(0).observedAt(), "decided at its second frame in event time");
    }

    @Test
    void aHeldAlertGoesOutOnTheWallClockWhenItsCameraFallsSilent() {
        MutableClock clock = new MutableClock(T0);
        Decider d = new Decider(household(), new FrameGate(FrameGate.Rules.DEFAULTS, metrics, clock), metrics);
        d.shards("front-door", 2);
        feed(d, onShard(1, unknown(T0)), onShard(0, unknown(T0.plusSeconds(1))));

        assertTrue(d.releaseDue().isEmpty());
        clock.advance(Duration.ofMillis(1999));
        assertTrue(d.releaseDue().isEmpty());
        clock.advance(Duration.ofMillis(1));
        List<Alert> due = d.releaseDue();
        assertEquals(1, due.size());
        assertTrue(d.releaseDue().isEmpty(), "released once");
    }

    @Test
    void anUnknownVisitIdentifiedWhileItsAlertIsHeldSendsTheAlertThenTheVisitUpdate() {
        decider.shards("front-door", 2);
        List<Alert> alerts = feed(decider, onShard(1, unknown(T0)), onShard(0, unknown(T0.plusSeconds(1))),
                onShard(1, known("alice", T0.plusMillis(1500))), onShard(0, known("alice", T0.plusMillis(1700))));
        assertTrue(alerts.isEmpty(), "the unknown visit's alert is held, and alice's visit is not yet linked to it");

        alerts.addAll(decider.decide(onShard(1, known("alice", T0.plusMillis(2200)))));

        assertEquals(List.of(AlertType.UNKNOWN_FACE, AlertType.VISIT_UPDATE), alerts.stream().map(Alert::type).toList());
        assertEquals(alerts.get(0).visit().id(), alerts.get(1).visit().id());
    }

    // ---- late frames ----------------------------------------------------------------------------------

    /**
     * The long search's first case (issue 17): over two shards a recognition 30 s after an unknown visit's frames
     * arrives before the frame between them; in event time that frame links them (one visit, a visit_update).
     */
    @Test
    void aGeneratedDayOverTwoShardsWithinTheReorderWindowGivesTheAlertsOfEventTimeOrder() {
        List<String> day = new DecisionPropertiesTest.Day(48, 13).records(); // the shrunk case of the long search
        List<String> inOrder = DecisionPropertiesTest.ids(DecisionPropertiesTest.decide(day));

        List<Alert> reordered = DecisionPropertiesTest.arrive(DecisionPropertiesTest.overTwoShards(day, new Random(5)), 2)
                .alerts();

        assertTrue(inOrder.contains("visit_update 97514e8c-c169-e73b-c809-663aef451dce"));
        assertEquals(inOrder, DecisionPropertiesTest.ids(reordered));
    }

    /**
     * Found by the long search after the first three causes were fixed (seed 777 with duplicates, Day[seed=-2642,
     * visits=8]): a suspected visit is identified by a recognition that arrived after a later one; an unknown
     * frame between its alert and the recognition began a visit of its own, in event time, and must not be
     * absorbed by the suspected visit as if it had been known already.
     */
    @Test
    void anUnknownFrameBeforeARecognitionThatArrivesLateStillBeginsItsOwnVisit() {
        List<FaceObservation> arrival = List.of(suspect("bob", T0), suspect("bob", T0.plusMillis(700)),
                suspect("bob", T0.plusMillis(1200)), unknown(T0.plusSeconds(15)), known("bob", T0.plusMillis(16_900)),
                known("bob", T0.plusSeconds(16)), known("bob", T0.plusMillis(17_800)), unknown(T0.plusSeconds(23)),
                unknown(T0.plusMillis(23_500)), unknown(T0.plusSeconds(26)));

        assertAsInEventTimeOrder(arrival, "suspected_match", "unknown_face", "visit_update");
    }

    /**
     * Found by the long search (seed 4242, Day[seed=3001075044, visits=16], shuffle 666): a recognition 29.5 s after
     * a suspected visit's alert identifies it; the next recognition, 0.6 s later, is beyond that visit's window but
     * within an unknown visit's, and arrives first: it identifies the unknown visit until the earlier one arrives,
     * which in event time identified the suspected visit, so it gives the identity back.
     */
    @Test
    void aRecognitionArrivingBeforeAnEarlierOneGivesTheIdentityBackToTheVisitItJoinedInEventTime() {
        List<FaceObservation> arrival = List.of(suspect("bob", T0), suspect("bob", T0.plusMillis(800)),
                suspect("bob", T0.plusMillis(1500)), unknown(T0.plusMillis(27_600)), unknown(T0.plusSeconds(27)),
                unknown(T0.plusMillis(28_200)), unknown(T0.plusSeconds(29)), known("bob", T0.plusMillis(31_600)),
                known("bob", T0.plusSeconds(31)), known("bob", T0.plusMillis(32_100)));

        assertAsInEventTimeOrder(arrival, "suspected_match", "unknown_face", "visit_update");
    }

    /**
     * Found by the long search (3000 tries from seed 5151, Day[seed=-638822171204847403, visits=19], shuffle -36): a
     * suspected visit and an unknown one both alerted; the first recognition of the suspect arrives after the
     * second, which identified the suspected visit; in event time the first did, so it joins that visit too and
     * leaves the unknown visit to be identified by someone else later.
     */
    @Test
    void aRecognitionArrivingAfterALaterOneJoinsTheVisitThatLaterOneIdentified() {
        List<FaceObservation> arrival = List.of(suspect("bob", T0.plusMillis(1100)), suspect("bob", T0),
                unknown(T0.plusMillis(16_200)), unknown(T0.plusMillis(16_900)), unknown(T0.plusMillis(18_100)),
                unknown(T0.plusMillis(17_500)), known("bob", T0.plusMillis(19_200)), known("bob", T0.plusMillis(18_500)),
                known("bob", T0.plusMillis(19_700)), unknown(T0.plusMillis(38_500)), unknown(T0.plusMillis(39_100)),
                known("alice", T0.plusMillis(42_500)), known("alice", T0.plusMillis(43_200)));

        assertAsInEventTimeOrder(arrival, "suspected_match", "unknown_face", "visit_update", "visit_update");
    }

    @Test
    void aLateFrameInsideAClosedVisitJoinsItAndNeverAlertsAgain() {
        List<Alert> alerts = feed(decider, unknown(T0), unknown(T0.plusSeconds(1)), unknown(T0.plusSeconds(2)),
                known("alice", T0.plusSeconds(120)), unknown(T0.plusMillis(1500)));

        assertEquals(List.of(AlertType.UNKNOWN_FACE), alerts.stream().map(Alert::type).toList());
        assertEquals(1, counter("vigil.frames.late"));
        assertEquals(1, counter("vigil.visits") - 1, "the late frame opened no visit (the other one is alice's)");
    }

    @Test
    void aLateMatchInsideAnAlertedUnknownVisitBecomesAVisitUpdateMarkedStale() {
        List<Alert> alerts = feed(decider, unknown(T0), unknown(T0.plusSeconds(1)), unknown(T0.plusSeconds(2)),
                known("bob", T0.plusSeconds(100)), known("alice", T0.plusSeconds(3)), known("alice", T0.plusSeconds(4)));

        assertEquals(List.of(AlertType.UNKNOWN_FACE, AlertType.VISIT_UPDATE), alerts.stream().map(Alert::type).toList());
        assertEquals(alerts.get(0).visit().id(), alerts.get(1).visit().id());
        assertTrue(alerts.get(1).stale());
    }

    @Test
    void aLateFrameOutsideAnyVisitIsDecidedInEventTimeAndItsAlertIsStale() {
        feed(decider, known("bob", T0.plusSeconds(600)));
        List<Alert> alerts = feed(decider, unknown(T0), unknown(T0.plusSeconds(1)));

        assertEquals(1, alerts.size());
        assertTrue(alerts.get(0).stale());
        assertEquals(T0.plusSeconds(1), alerts.get(0).observedAt());
        assertEquals(T0, alerts.get(0).visit().firstSeen());
    }

    @Test
    void cooldownHoldsInEventTimeInBothDirectionsForLateVisits() {
        List<Alert> alerts = feed(decider, unknown(T0.plusSeconds(200)), unknown(T0.plusSeconds(201)),
                unknown(T0), unknown(T0.plusSeconds(1)));

        assertEquals(1, alerts.size(), "the late visit is within the cooldown of the alert after it");
    }

    // ---- clock skew -----------------------------------------------------------------------------------

    @Test
    void aFrameFromTheFutureIsCountedMovesNothingAndTheCameraClockIsReportedOff() {
        MutableClock clock = new MutableClock(T0.plusSeconds(10));
        CameraClocksHealthCheck health = new CameraClocksHealthCheck(gate, Duration.ofMinutes(15), clock);
        assertEquals(HealthCheck.State.UP, health.call().getState());

        decider.decide(unknown(T0.plusSeconds(3600)), T0.plusSeconds(5));
        List<Alert> alerts = new ArrayList<>();
        alerts.addAll(decider.decide(unknown(T0.plusSeconds(6)), T0.plusSeconds(7)));
        alerts.addAll(decider.decide(unknown(T0.plusSeconds(7)), T0.plusSeconds(8)));

        assertEquals(1, counter("vigil.frames.clock.skewed"));
        assertEquals(0, counter("vigil.frames.late"), "the future frame did not move the camera's present");
        assertEquals(1, alerts.size());
        assertFalse(alerts.get(0).stale());
        HealthCheck.Result result = health.call();
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getMessage().orElse("").contains("camera front-door: clock is off"), result.getMessage().toString());

        clock.advance(Duration.ofMinutes(16));
        assertEquals(HealthCheck.State.UP, health.call().getState(), "the alarm ends; the counts stay in the details");
        assertEquals(1L, health.call().getDetails().get("camera.front-door.framesFromTheFuture"));
    }

    @Test
    void aClockSetBackIsCountedAndItsFramesAreDecidedAsTheNewPresentWithSaneVisits() {
        Instant arrival = T0.plusSeconds(3600);
        // the camera runs 20 s fast (inside the tolerance), then its clock is corrected
        feed(decider, arrival, unknown(arrival.plusSeconds(20)), unknown(arrival.plusSeconds(21)));
        List<Alert> after = new ArrayList<>();
        after.addAll(decider.decide(known("alice", arrival.plusSeconds(2)), arrival.plusSeconds(2)));
        after.addAll(decider.decide(known("alice", arrival.plusSeconds(3)), arrival.plusSeconds(3)));

        assertEquals(1, counter("vigil.frames.clock.skewed"));
        assertEquals(0, counter("vigil.frames.late"));
        assertTrue(after.stream().noneMatch(Alert::stale));
        assertEquals(1L, gate.clocks().get("front-door").back());
    }

    @Test
    void visitDurationsAreNeverNegative() {
        List<Alert> alerts = feed(decider, unknown(T0.plusSeconds(2)), unknown(T0.plusSeconds(1)), unknown(T0));
        Alert a = alerts.get(0);
        assertFalse(a.visit().lastSeen().isBefore(a.visit().firstSeen()));
    }

    @Test
    void badDecideSettingsStopStartUpNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> DecideConfiguration.rules(
                dev.vigil.config.Settings.defaultsWith(java.util.Map.of("vigil.decide.reorder-window", "soon"))));
        assertTrue(e.getMessage().startsWith("vigil.decide.reorder-window"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> DecideConfiguration.rules(
                dev.vigil.config.Settings.defaultsWith(java.util.Map.of("vigil.decide.frame-memory", "0"))));
        assertTrue(e.getMessage().startsWith("vigil.decide.frame-memory"), e.getMessage());
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private double duplicates() {
        return counter("vigil.frames.duplicate");
    }

    private double counter(String name) {
        return metrics.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * Frames arriving in this order over two shards give the alerts (types and ids) of event-time order on one shard,
     * which are of these types (sorted).
     */
    private void assertAsInEventTimeOrder(List<FaceObservation> arrival, String... types) {
        List<String> inOrder = decided(1, arrival.stream().sorted(java.util.Comparator.comparing(FaceObservation::frameTime)).toList());
        assertEquals(List.of(types), inOrder.stream().map(a -> a.split(" ")[0]).sorted().toList());
        assertEquals(inOrder, decided(2, arrival));
    }

    /** The alerts ("type id", sorted) of frames arriving in this order over {@code shards} shards, held ones included. */
    private List<String> decided(int shards, List<FaceObservation> arrival) {
        MutableClock clock = new MutableClock(T0);
        Decider d = new Decider(household(), new FrameGate(FrameGate.Rules.DEFAULTS, metrics, clock), metrics);
        d.shards("front-door", shards);
        List<Alert> alerts = feed(d, arrival.toArray(FaceObservation[]::new));
        clock.advance(Duration.ofMinutes(1));
        alerts.addAll(d.releaseDue());
        return DecisionPropertiesTest.ids(alerts);
    }

    private static Alert only(Decider d, FaceObservation... observations) {
        List<Alert> alerts = feed(d, observations);
        assertEquals(1, alerts.size(), alerts.toString());
        return alerts.get(0);
    }

    private static List<Alert> feed(Decider d, FaceObservation... observations) {
        List<Alert> alerts = new ArrayList<>();
        for (FaceObservation o : observations) {
            alerts.addAll(d.decide(o));
        }
        return alerts;
    }

    /** Frames as a live source hands them over, each arriving at {@code arrival}. */
    private static List<Alert> feed(Decider d, Instant arrival, FaceObservation... observations) {
        List<Alert> alerts = new ArrayList<>();
        for (FaceObservation o : observations) {
            alerts.addAll(d.decide(o, arrival));
        }
        return alerts;
    }

    /** The observation as the Kinesis source hands it over from one of two shards of the results stream. */
    private static FaceObservation onShard(int shard, FaceObservation o) {
        Source s = o.source();
        return new FaceObservation(o.cameraKey(), o.frameTime(), o.faceIndex(), o.facesInFrame(), o.face(), o.matches(),
                new Source(s.engine(), s.streamArn(), s.fragmentNumber(), s.producerTimestamp(),
                        "results/shardId-00000000000" + shard + "/" + o.frameTime().toEpochMilli()));
    }

    private static FaceObservation unknown(Instant t) {
        return observation(t, FRAGMENT);
    }

    private static FaceObservation suspect(String person, Instant t) {
        return observation(t, FRAGMENT, new FaceMatch(person, "face-" + person, 85));
    }

    private static FaceObservation known(String person, Instant t) {
        return observation(t, FRAGMENT, new FaceMatch(person, "face-" + person, 99));
    }

    private static FaceObservation observation(Instant t, String fragment, FaceMatch... matches) {
        Source source = new Source(Source.STREAM_PROCESSOR,
                "arn:aws:kinesisvideo:eu-west-2:123456789012:stream/" + FRONT + "/1700000000000", fragment,
                t.minusMillis(500), "test#" + t.toEpochMilli());
        return new FaceObservation(FRONT, t, 0, 1, GOOD, List.of(matches), source);
    }

    private static FaceObservation face(FaceObservation o, int index, int faces, Face.BoundingBox box) {
        Face f = new Face(box, GOOD.confidence(), GOOD.brightness(), GOOD.sharpness(), GOOD.yaw(), GOOD.pitch(), GOOD.roll());
        return new FaceObservation(o.cameraKey(), o.frameTime(), index, faces, f, o.matches(), o.source());
    }

    private static FaceObservation imageFrame(Instant t) {
        Source source = new Source(Source.IMAGE, "arn:aws:kinesisvideo:eu-west-2:123456789012:stream/" + FRONT + "/1",
                null, t, "image#" + t.toEpochMilli());
        return new FaceObservation(FRONT, t, 0, 1, GOOD, List.of(), source);
    }

    private static Household household() {
        return new Household(List.of(new Household.Camera("front-door", "Front door", "Porch", FRONT, null, null)),
                List.of(new Household.Person("alice", "Alice", List.of("family")),
                        new Household.Person("bob", "Bob", List.of("family"))),
                new Policy(null, Policy.Mode.HOME, null, null, null, null, null,
                        List.of(new Policy.Rule("alice", null, Policy.Rule.Notify.ARRIVAL,
                                dev.vigil.model.Severity.INFO, null, null))));
    }

    /** The real capture's stream, with gates that accept its profile face (as Fixtures.profileFriendlyHousehold). */
    private static Household labHousehold() {
        return new Household(List.of(), List.of(), new Policy(null, Policy.Mode.HOME,
                new dev.vigil.config.Thresholds(null, null, null, null, 80.0, null, null), null, null, null, null, List.of()));
    }
}
