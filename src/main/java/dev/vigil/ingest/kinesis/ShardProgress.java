package dev.vigil.ingest.kinesis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Which records of one shard may be checkpointed. Records are remembered in processing order with their
 * frame time; a record may be checkpointed once it is fully handled (alerts delivered or dead-lettered)
 * AND the camera's decision state no longer depends on it, i.e. its frame time is before the camera's
 * {@code retainSince} (the first frame of its open visits and of visits still holding a cooldown). After a
 * crash, the shard resumes after the checkpoint and the replayed records rebuild the same visits, so the
 * same alert ids. {@code maxReplay} bounds how far back that may reach (a visit that never ends must not
 * stop checkpoints forever): a checkpoint it forces past {@code retainSince} is {@link #capped()}, and a new owner
 * resuming there decides without that older state (docs/deciding.md, "What a new owner replays"). Not thread-safe:
 * one instance per shard, used by that shard's thread.
 */
final class ShardProgress {

    private record Entry(String sequenceNumber, Instant frameTime) {
    }

    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private final Duration maxReplay;
    private Instant newestFrame = Instant.EPOCH;
    private boolean capped;

    ShardProgress(Duration maxReplay) {
        this.maxReplay = maxReplay;
    }

    /** A record is fully handled; {@code frameTime} is null for a record that could not be parsed. */
    void handled(String sequenceNumber, Instant frameTime) {
        pending.addLast(new Entry(sequenceNumber, frameTime));
        if (frameTime != null && frameTime.isAfter(newestFrame)) {
            newestFrame = frameTime;
        }
    }

    /**
     * The newest sequence number that is safe to checkpoint now, or null if none became safe since the last
     * call. Everything up to it is forgotten.
     */
    String checkpointable(Instant retainSince) {
        Instant oldestAllowed = newestFrame.minus(maxReplay);
        Instant cutoff = retainSince == null ? null : retainSince.isBefore(oldestAllowed) ? oldestAllowed : retainSince;
        String safe = null;
        capped = false;
        while (!pending.isEmpty()) {
            Entry e = pending.peekFirst();
            if (cutoff != null && e.frameTime() != null && !e.frameTime().isBefore(cutoff)) {
                break;
            }
            capped |= e.frameTime() != null && retainSince != null && !e.frameTime().isBefore(retainSince);
            safe = e.sequenceNumber();
            pending.pollFirst();
        }
        return safe;
    }

    /**
     * Whether the last {@link #checkpointable} went past records the decision state still depended on, because they
     * were older than {@code maxReplay}: a replay from there is not exact.
     */
    boolean capped() {
        return capped;
    }

    int pending() {
        return pending.size();
    }
}
