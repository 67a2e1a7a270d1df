package dev.vigil.ingest.kinesis;

import dev.vigil.Headers;
import dev.vigil.decide.Decider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * One shard: hands each record to the route and waits until it is fully handled (alerts delivered or
 * dead-lettered; malformed records dead-lettered with the shard and sequence number), in order. Only an
 * unexpected failure (the dead-letter store itself failing) makes it retry the same record, so nothing is
 * skipped. After each batch it checkpoints the newest record the decision state no longer depends on.
 */
final class ShardHandler implements ShardRecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(ShardHandler.class);

    /** What every shard handler of one consumer shares. */
    record Context(KinesisResultsConsumer consumer, Decider decider, MeterRegistry metrics,
                   Map<String, String> cameraByStream, Duration maxReplay, KinesisSourceHealth health) {
    }

    private final Context context;
    private final String stream;
    private final ShardProgress progress;
    private String shardId;
    /** Cameras whose records this shard carried (one, for a results stream fed by one stream processor). */
    private final Set<String> cameraKeys = new HashSet<>();
    private volatile boolean stopping;
    private boolean cappedSaid;
    /** The newest record handled here, and the newest the previous owner said it had handled (or null). */
    private String lastHandled;
    private ExtendedSequenceNumber handledBefore;
    /** When the newest handled record was last written to the lease as the pending checkpoint (ms). */
    private long handedOnAt;
    /** This shard's camera's lag timers, looked up once rather than per record (issue 15). */
    private Timer frameToArrival;
    private Timer arrivalToHandled;

    ShardHandler(Context context, String stream) {
        this.context = context;
        this.stream = stream;
        this.progress = new ShardProgress(context.maxReplay());
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        var pending = input.pendingCheckpointSequenceNumber();
        handledBefore = pending == null || pending.isSentinelCheckpoint() ? null : pending;
        LOG.info("kinesis source: {}/{} starts after {}{}", stream, shardId, input.extendedSequenceNumber(),
                handledBefore == null ? "" : ", rebuilding its state up to " + handledBefore + " without alerting");
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        context.health().reading(key()); // called for empty reads too: a shard that reads nothing for long is unhealthy
        try {
            if (input.records().isEmpty()) {
                return;
            }
            for (KinesisClientRecord record : input.records()) {
                if (context.consumer().draining() || !handle(record)) {
                    return; // shutting down mid-batch: what was not handled is read again later
                }
            }
            checkpoint(input.checkpointer());
        } finally {
            context.health().idle(key());
        }
    }

    private String key() {
        return stream + "/" + shardId;
    }

    private boolean handle(KinesisClientRecord record) {
        String camera = context.cameraByStream().getOrDefault(stream, stream);
        long backoffMs = 500;
        while (true) {
            Exchange exchange = context.consumer().createExchange(false);
            try {
                exchange.getMessage().setBody(text(record.data()));
                exchange.setProperty(Headers.SOURCE_REF, stream + "/" + shardId + "/" + record.sequenceNumber());
                exchange.setProperty(Headers.ARRIVED_AT, record.approximateArrivalTimestamp());
                if (handledBefore != null && new ExtendedSequenceNumber(record.sequenceNumber()).compareTo(handledBefore) <= 0) {
                    exchange.setProperty(Headers.REBUILDING, true);
                }
                context.consumer().getProcessor().process(exchange);
                if (exchange.getException() == null) {
                    Instant frameTime = exchange.getProperty(Headers.FRAME_TIME, Instant.class);
                    String key = exchange.getProperty(Headers.CAMERA_KEY, String.class);
                    if (key != null) {
                        cameraKeys.add(key);
                    }
                    progress.handled(record.sequenceNumber(), frameTime);
                    lastHandled = record.sequenceNumber();
                    lag(camera, frameTime, record.approximateArrivalTimestamp());
                    context.health().handled(key());
                    return true;
                }
                LOG.error("kinesis source: {}/{}/{} could not be handled, retrying in {} ms: {}", stream, shardId,
                        record.sequenceNumber(), backoffMs, exchange.getException().toString());
                context.health().failing(key(), record.sequenceNumber() + ": " + exchange.getException());
            } catch (Exception e) {
                LOG.error("kinesis source: {}/{}/{} failed, retrying in {} ms: {}", stream, shardId,
                        record.sequenceNumber(), backoffMs, e.toString());
                context.health().failing(key(), record.sequenceNumber() + ": " + e);
            } finally {
                context.consumer().releaseExchange(exchange, false);
            }
            if (stopping || !sleep(backoffMs)) {
                return false;
            }
            backoffMs = Math.min(backoffMs * 2, 30_000);
        }
    }

    private void lag(String camera, Instant frameTime, Instant arrived) {
        if (arrived == null) {
            return;
        }
        if (arrivalToHandled == null) {
            frameToArrival = context.metrics().timer("vigil.kinesis.lag.frame.to.arrival", "camera", camera);
            arrivalToHandled = context.metrics().timer("vigil.kinesis.lag.arrival.to.handled", "camera", camera);
        }
        if (frameTime != null) {
            frameToArrival.record(Duration.between(frameTime, arrived).abs());
        }
        arrivalToHandled.record(Duration.between(arrived, Instant.now()).abs());
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer) {
        Instant retain = null;
        for (String camera : cameraKeys) {
            Instant since = context.decider().retainSince(camera);
            retain = since != null && (retain == null || since.isBefore(retain)) ? since : retain;
        }
        String safe = progress.checkpointable(retain);
        try {
            if (safe != null) {
                if (progress.capped()) {
                    capped();
                }
                checkpointer.checkpoint(safe);
            }
            handOn(checkpointer, safe != null);
        } catch (KinesisClientLibException e) {
            LOG.warn("kinesis source: checkpoint of {}/{} at {} failed ({}); it will be retried after the next batch",
                    stream, shardId, safe, e.toString());
        }
    }

    /**
     * Writes the newest handled record to the lease as KCL's pending checkpoint (after a checkpoint, which clears it,
     * else at most every {@link #HAND_ON_EVERY_MS}): a next owner replays from the checkpoint and decides the records
     * up to it without alerting, since their alerts went out here.
     */
    private void handOn(RecordProcessorCheckpointer checkpointer, boolean checkpointed) throws KinesisClientLibException {
        long now = System.currentTimeMillis();
        if (lastHandled == null || progress.pending() == 0 || (!checkpointed && now - handedOnAt < HAND_ON_EVERY_MS)) {
            return;
        }
        checkpointer.prepareCheckpoint(lastHandled);
        handedOnAt = now;
    }

    private static final long HAND_ON_EVERY_MS = 5_000;

    /**
     * The checkpoint went past decision state older than vigil.kinesis.max-replay (someone in view that long): counted,
     * and said once per shard taken, because a new owner resuming there may alert again what this one held back.
     */
    private void capped() {
        String camera = context.cameraByStream().getOrDefault(stream, stream);
        context.metrics().counter("vigil.kinesis.replay.capped", "camera", camera).increment();
        if (!cappedSaid) {
            cappedSaid = true;
            LOG.warn("kinesis source: {}/{} checkpointed past decision state older than vigil.kinesis.max-replay "
                    + "(camera {} never quiet that long): if the stream moves, the new owner may alert again what was "
                    + "held back (docs/deciding.md)", stream, shardId, camera);
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        stopping = true;
        context.health().released(key());
        LOG.info("kinesis source: {}/{} moved to another instance", stream, shardId);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        context.health().released(key());
        try {
            input.checkpointer().checkpoint(); // required for KCL to move on to the child shards
        } catch (KinesisClientLibException e) {
            LOG.warn("kinesis source: end-of-shard checkpoint of {}/{} failed: {}", stream, shardId, e.toString());
        }
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        stopping = true;
        handedOnAt = 0; // a graceful stop hands the newest handled record on
        checkpoint(input.checkpointer());
        context.health().released(key());
        LOG.info("kinesis source: {}/{} stopped, checkpointed", stream, shardId);
    }

    private static String text(ByteBuffer data) {
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
