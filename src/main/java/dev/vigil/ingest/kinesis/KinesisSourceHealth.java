package dev.vigil.ingest.kinesis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;

/**
 * Readiness of the Kinesis source ({@code kinesis-source}): down while KCL starts or after it failed to
 * initialise, until it holds a shard and has read from it (a first read, even an empty one), while a shard is stuck retrying a record it cannot hand over, and when a held shard has not
 * read successfully for {@code readStaleAfter} while it was idle (KCL keeps retrying read errors such as a
 * revoked permission on its own, so a silent shard is how they show). Each check result says why.
 */
public final class KinesisSourceHealth extends AbstractHealthCheck implements WorkerStateChangeListener {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KinesisSourceHealth.class);

    /** Registry name of the bean. */
    public static final String NAME = "kinesisSourceHealth";

    private final Duration readStaleAfter;
    private final Clock clock;
    private volatile WorkerState state = WorkerState.CREATED;
    private volatile String initialisationFailure;
    private final Map<String, Shard> shards = new ConcurrentHashMap<>();

    private static final class Shard {
        volatile Instant lastRead;
        volatile boolean busy;
        volatile String failing;
    }

    public KinesisSourceHealth(Duration readStaleAfter, Clock clock) {
        super("vigil", "kinesis-source");
        this.readStaleAfter = readStaleAfter;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public void onWorkerStateChange(WorkerState newState) {
        state = newState;
        LOG.info("kinesis source: KCL {}", newState);
    }

    @Override
    public void onAllInitializationAttemptsFailed(Throwable e) {
        initialisationFailure = e.toString();
        LOG.error("kinesis source: KCL could not initialise, not reading: {}", initialisationFailure);
    }

    /** KCL has finished its shutdown (leases released, shard handlers done). */
    boolean shutDown() {
        return state == WorkerState.SHUT_DOWN;
    }

    void reading(String shard) {
        Shard s = shards.computeIfAbsent(shard, k -> new Shard());
        s.lastRead = clock.instant();
        s.busy = true;
    }

    void idle(String shard) {
        Shard s = shards.get(shard);
        if (s != null) {
            s.busy = false;
        }
    }

    void failing(String shard, String problem) {
        shards.computeIfAbsent(shard, k -> new Shard()).failing = problem;
    }

    void handled(String shard) {
        Shard s = shards.get(shard);
        if (s != null) {
            s.failing = null;
        }
    }

    void released(String shard) {
        shards.remove(shard);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("kcl.state", state.name());
        Map<String, String> problems = new TreeMap<>();
        Instant now = clock.instant();
        shards.forEach((name, s) -> {
            if (s.failing != null) {
                problems.put(name, "cannot hand over a record: " + s.failing);
            } else if (!s.busy && s.lastRead != null && Duration.between(s.lastRead, now).compareTo(readStaleAfter) > 0) {
                problems.put(name, "no successful read for " + Duration.between(s.lastRead, now).toSeconds() + " s");
            }
        });
        builder.detail("shards", String.join(",", new TreeMap<>(shards).keySet()));
        if (initialisationFailure != null) {
            builder.down().message("KCL could not initialise: " + initialisationFailure);
        } else if (state != WorkerState.STARTED) {
            builder.down().message("KCL is not reading (state " + state + ")");
        } else if (shards.isEmpty()) { // KCL runs, but this instance has not taken and read a shard yet
            builder.down().message("KCL started but reads no shard yet (taking leases; or other instances hold them all)");
        } else if (!problems.isEmpty()) {
            problems.forEach((shard, why) -> builder.detail("problem." + shard, why));
            builder.down().message(String.join("; ", problems.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).toList()));
        } else {
            builder.up().message("reading " + shards.size() + " shard(s)");
        }
    }
}
