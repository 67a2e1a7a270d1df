package dev.vigil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.engine.EpisodePlanner.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which motion frames get a Rekognition call: spacing, pausing once enough faces were searched, triggers. */
class EpisodePlannerTest {

    static final Instant T = Instant.parse("2026-11-25T12:00:00Z");
    final EpisodePlanner planner = new EpisodePlanner(Pacing.DEFAULT);

    @Test
    void framesWithoutMotionNeverCostACall() {
        for (int s = 0; s < 100; s++) {
            assertEquals(Action.SKIP, planner.onFrame(T.plusSeconds(s), false, CostMeter.Level.NORMAL));
        }
    }

    @Test
    void theFirstCallComesTwoSecondsIntoTheMotionTheNextFrameConfirmsThenTheEpisodePauses() {
        List<Integer> detects = new ArrayList<>();
        for (int s = 0; s < 70; s++) {
            if (planner.onFrame(T.plusSeconds(s), true, CostMeter.Level.NORMAL) == Action.DETECT) {
                detects.add(s);
                planner.detected(T.plusSeconds(s), 1);
            }
        }
        assertEquals(List.of(2, 3, 63, 64), detects, "2 s in, a follow-up 1 s later, a 60 s pause, a recheck");
    }

    @Test
    void callsThatFindNoFaceBackOffUpToEightSeconds() {
        List<Integer> detects = new ArrayList<>();
        for (int s = 0; s <= 30; s++) {
            if (planner.onFrame(T.plusSeconds(s), true, CostMeter.Level.NORMAL) == Action.DETECT) {
                detects.add(s);
                planner.detected(T.plusSeconds(s), 0);
            }
        }
        assertEquals(List.of(2, 6, 14, 22, 30), detects, "a car passing: 2, 4, 8, 8 s apart");
    }

    @Test
    void aNewEpisodeAfterAGapStartsCountingAgain() {
        for (int s = 0; s <= 3; s++) {
            if (planner.onFrame(T.plusSeconds(s), true, CostMeter.Level.NORMAL) == Action.DETECT) {
                planner.detected(T.plusSeconds(s), 1);
            }
        }
        assertEquals(Action.SKIP, planner.onFrame(T.plusSeconds(6), true, CostMeter.Level.NORMAL), "paused");
        assertEquals(Action.SKIP, planner.onFrame(T.plusSeconds(20), true, CostMeter.Level.NORMAL),
                "more than 10 s without motion: a new episode, which waits 2 s like any other");
        assertEquals(T.plusSeconds(20), planner.episodeStart());
        assertEquals(Action.DETECT, planner.onFrame(T.plusSeconds(22), true, CostMeter.Level.NORMAL));
    }

    @Test
    void slowLevelSpacesCallsFourTimesWiderAndMotionOnlyMakesNone() {
        assertEquals(Action.SKIP, planner.onFrame(T, true, CostMeter.Level.SLOW));
        assertEquals(Action.SKIP, planner.onFrame(T.plusSeconds(7), true, CostMeter.Level.SLOW));
        assertEquals(Action.DETECT, planner.onFrame(T.plusSeconds(8), true, CostMeter.Level.SLOW));
        assertEquals(Action.MOTION_ONLY, planner.onFrame(T.plusSeconds(9), true, CostMeter.Level.MOTION_ONLY));
        assertEquals(Duration.ofSeconds(4), planner.pollEvery(T.plusSeconds(9), CostMeter.Level.SLOW));
    }

    @Test
    void aTriggerMakesTheCameraActiveAtOnce() {
        assertFalse(planner.active(T));
        assertEquals(Duration.ofSeconds(5), planner.pollEvery(T, CostMeter.Level.NORMAL));
        planner.trigger(T);
        assertTrue(planner.active(T.plusSeconds(9)));
        assertEquals(Duration.ofSeconds(1), planner.pollEvery(T, CostMeter.Level.NORMAL));
        assertFalse(planner.active(T.plusSeconds(10)));
    }
}
