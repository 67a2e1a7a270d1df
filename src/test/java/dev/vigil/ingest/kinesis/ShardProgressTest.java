package dev.vigil.ingest.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShardProgressTest {

    private static final Instant T0 = Instant.parse("2026-11-24T11:32:00Z");
    private final ShardProgress progress = new ShardProgress(Duration.ofMinutes(10));

    @Test
    void withNoDecisionStateEverythingHandledCanBeCheckpointed() {
        progress.handled("1", T0);
        progress.handled("2", T0.plusSeconds(1));
        assertEquals("2", progress.checkpointable(null));
        assertNull(progress.checkpointable(null), "nothing new since");
    }

    @Test
    void recordsOfAVisitStillOpenAreNotCheckpointed() {
        progress.handled("1", T0);
        progress.handled("2", T0.plusSeconds(40));
        progress.handled("3", T0.plusSeconds(41));
        assertEquals("1", progress.checkpointable(T0.plusSeconds(40)), "resume at the visit's first record");
        assertEquals(2, progress.pending());
        assertEquals("3", progress.checkpointable(null), "visit and cooldown over: all of it");
    }

    @Test
    void poisonRecordsNeverHoldTheCheckpointBack() {
        progress.handled("1", null);
        assertEquals("1", progress.checkpointable(T0));
    }

    @Test
    void aVisitThatNeverEndsHoldsTheCheckpointAtMostMaxReplay() {
        for (int i = 0; i <= 3600; i++) {
            progress.handled(Integer.toString(i), T0.plusSeconds(i));
        }
        assertEquals("2999", progress.checkpointable(T0), "only the last 10 minutes (600 records) are kept for replay");
        assertEquals(601, progress.pending());
        assertTrue(progress.capped(), "past records the decision state depends on: said");
        progress.handled("3601", T0.plusSeconds(3601));
        assertEquals("3000", progress.checkpointable(T0.plusSeconds(3001)));
        assertFalse(progress.capped(), "within max replay of the newest frame: not capped");
    }

    @Test
    void stopsAtTheFirstRecordThatMustBeReplayedEvenIfLaterOnesAreOlder() {
        progress.handled("1", T0.plusSeconds(50));
        progress.handled("2", T0);
        assertNull(progress.checkpointable(T0.plusSeconds(10)));
    }
}
