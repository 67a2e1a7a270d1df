package dev.vigil.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.decide.Decider;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Face;
import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The correction a false match earns, applied by the real decision (Decider) on the example household: a
 * step up of that person's match threshold on that camera only, capped.
 */
class FalseMatchCorrectionTest {

    static final Instant T0 = Instant.parse("2026-12-01T14:00:00Z");
    static final Face GOOD = new Face(new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 99.9, 60, 80, 5, 3, 1);
    final Household household = HouseholdLoader.load("config/household.example.yaml");

    static FaceObservation alice(String stream, double similarity, Instant t) {
        Source source = new Source(Source.STREAM_PROCESSOR,
                "arn:aws:kinesisvideo:eu-west-2:123456789012:stream/" + stream + "/1700000000000",
                "91343852333181467302591170480509604486953280253", t.minusMillis(500), "test#" + t.toEpochMilli());
        return new FaceObservation(stream, t, 0, 1, GOOD, List.of(new FaceMatch("alice", "face-alice", similarity)),
                source);
    }

    /** The types of the alerts two frames of Alice at this similarity earn on each camera. */
    List<AlertType> alertsFor(FalseMatches corrections, double similarity) {
        Decider decider = new Decider(household, new SimpleMeterRegistry());
        if (corrections != null) {
            decider.corrections(corrections);
        }
        List<AlertType> types = new ArrayList<>();
        for (String stream : List.of("front-door-cam", "driveway-cam")) {
            for (int i = 0; i < 3; i++) {
                decider.decide(alice(stream, similarity, T0.plusSeconds(i))).stream().map(Alert::type).forEach(types::add);
            }
        }
        return types;
    }

    @Test
    void oneFalseMatchTurnsA91PercentMatchOnThatCameraIntoASuspectedMatch() {
        FalseMatches corrections = new FalseMatches();
        corrections.add("alice", "front-door", T0, "a-1");

        List<AlertType> before = alertsFor(null, 91);
        List<AlertType> after = alertsFor(corrections, 91);

        assertEquals(List.of(AlertType.SUSPECTED_MATCH), after.stream().filter(t -> t == AlertType.SUSPECTED_MATCH).toList(),
                "front door only: " + after);
        assertEquals(0, before.stream().filter(t -> t == AlertType.SUSPECTED_MATCH).count(), before.toString());
        assertNotEquals(before, after);
        assertEquals(List.of(), alertsFor(corrections, 93).stream().filter(t -> t == AlertType.SUSPECTED_MATCH).toList(),
                "93 % still clears 92");
    }

    @Test
    void eachFalseMatchRaisesTheThresholdByAStepUpToTheCap() {
        FalseMatches corrections = new FalseMatches();
        for (int i = 1; i <= 6; i++) {
            corrections.add("alice", "front-door", T0.plusSeconds(i), "a-" + i);
            assertEquals(Math.min(98.0, 90.0 + FalseMatches.STEP * i), corrections.threshold("alice", "front-door", 90));
        }
        corrections.add("alice", "front-door", T0.plusSeconds(9), "a-1");
        assertEquals(6, corrections.count("alice", "front-door"), "one alert counts once");
        assertEquals(90.0, corrections.threshold("alice", "driveway", 90), "other cameras unchanged");
        assertEquals(90.0, corrections.threshold("bob", "front-door", 90), "other people unchanged");
        assertEquals(6, corrections.forget("alice"));
        assertEquals(90.0, corrections.threshold("alice", "front-door", 90));
    }
}
