package dev.vigil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.engine.EpisodePlanner.Action;
import java.time.Duration;
import java.time.Instant;
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
    void detectAtMostEveryTwoSecondsAndPauseAfterThreeFramesWithFaces() {
        int detects = 0;
        for (int s = 0; s < 30; s++) {
            if (planner.onFrame(T.plusSeconds(s), true, CostMeter.Level.NORMAL) == Action.DETECT) {
                detects++;
                planner.detected(T.plusSeconds(s), 1);
            }
        }
        assertEquals(3, detects, "t=0, 2, 4 then a 30 s pause");
        assertEquals(Action.DETECT, planner.onFrame(T.plusSeconds(34), true, CostMeter.Level.NORMAL), "recheck after 30 s");
    }

    @Test
    void framesWithoutFacesDoNotUseUpTheEpisode() {
        int detects = 0;
        for (int s = 0; s < 20; s++) {
            if (planner.onFrame(T.plusSeconds(s), true, CostMeter.Level.NORMAL) == Action.DETECT) {
                detects++;
                planner.detected(T.plusSeconds(s), 0);
            }
        }
        assertEquals(10, detects, "a car passing: DetectFaces every 2 s, nothing to search");
    }

    @Test
    void aNewEpisodeAfterAGapStartsCountingAgain() {
        for (int s = 0; s <= 4; s += 2) {
            planner.onFrame(T.plusSeconds(s), true, CostMeter.Level.NORMAL);
            planner.detected(T.plusSeconds(s), 1);
        }
        assertEquals(Action.SKIP, planner.onFrame(T.plusSeconds(6), true, CostMeter.Level.NORMAL));
        assertEquals(Action.DETECT, planner.onFrame(T.plusSeconds(20), true, CostMeter.Level.NORMAL),
                "more than 10 s without motion: a new visitor");
        assertEquals(T.plusSeconds(20), planner.episodeStart());
    }

    @Test
    void slowLevelSpacesCallsFourTimesWiderAndMotionOnlyMakesNone() {
        assertEquals(Action.DETECT, planner.onFrame(T, true, CostMeter.Level.SLOW));
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
