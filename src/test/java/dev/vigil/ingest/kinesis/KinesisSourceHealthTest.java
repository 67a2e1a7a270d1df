package dev.vigil.ingest.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener.WorkerState;

/** The kinesis-source readiness check: why it is down, in its message. */
class KinesisSourceHealthTest {

    private Instant now = Instant.parse("2026-11-25T12:00:00Z");
    private final KinesisSourceHealth health = new KinesisSourceHealth(Duration.ofSeconds(60), new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    private HealthCheck.Result call() {
        return health.call(Map.of());
    }

    @Test
    void downUntilKclHasStartedThenUpWithItsShards() {
        assertFalse(health.isLiveness(), "a source that cannot read is not a reason to restart");
        assertTrue(health.isReadiness());
        health.onWorkerStateChange(WorkerState.INITIALIZING);
        assertEquals(HealthCheck.State.DOWN, call().getState());
        assertEquals("KCL is not reading (state INITIALIZING)", call().getMessage().orElseThrow());
        health.onWorkerStateChange(WorkerState.STARTED);
        assertEquals(HealthCheck.State.DOWN, call().getState(), "started is not reading: no shard held yet");
        assertTrue(call().getMessage().orElseThrow().startsWith("KCL started but reads no shard yet"));
        health.reading("s/shard-0");
        health.idle("s/shard-0");
        assertEquals(HealthCheck.State.UP, call().getState());
        assertEquals("reading 1 shard(s)", call().getMessage().orElseThrow());
    }

    @Test
    void aShardStuckOnARecordOrSilentForLongIsDownAndSaysWhich() {
        health.onWorkerStateChange(WorkerState.STARTED);
        health.reading("s/shard-0");
        health.failing("s/shard-0", "42: dead-letter store full");
        assertEquals(HealthCheck.State.DOWN, call().getState());
        assertEquals("s/shard-0: cannot hand over a record: 42: dead-letter store full", call().getMessage().orElseThrow());
        health.handled("s/shard-0");
        assertEquals(HealthCheck.State.UP, call().getState(), "busy with a record is not a read problem");

        health.idle("s/shard-0");
        now = now.plusSeconds(61);
        assertEquals(HealthCheck.State.DOWN, call().getState());
        assertEquals("s/shard-0: no successful read for 61 s", call().getMessage().orElseThrow());
        health.reading("s/shard-0");
        assertEquals(HealthCheck.State.UP, call().getState());
        health.released("s/shard-0");
        assertEquals(HealthCheck.State.DOWN, call().getState(), "a shard released, none held: not reading");
    }

    @Test
    void initialisationFailureIsDown() {
        health.onAllInitializationAttemptsFailed(new IllegalStateException("AccessDeniedException on table vigil"));
        assertEquals(HealthCheck.State.DOWN, call().getState());
        assertTrue(call().getMessage().orElseThrow().contains("AccessDeniedException"));
    }
}
