package dev.vigil.decide;

import dev.vigil.model.FaceObservation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Admits each observation of a camera before it is decided: a frame seen before is a duplicate (it changes
 * nothing); otherwise it is placed in the camera's event time. The camera's watermark is the newest frame time
 * decided; a frame at or after it is in order and decided at once (the reorder window never holds a frame, so
 * it adds no latency); a frame behind it by at most the reorder window is reordered, by more is late. Both are
 * decided against the visits at their own event time ({@link CameraVisits#find}). With the arrival time of a
 * live source, a frame more than the tolerance past its arrival is from the future (it does not move the
 * watermark), and a frame far behind a watermark that is itself ahead of arrival means the camera's clock
 * jumped back (the watermark follows it). Memory per camera is bounded: the last {@code memory} frame ids, none
 * older than the late horizon. Callers hold the camera's lock ({@link Decider} does).
 */
public final class FrameGate {

    /**
     * @param reorderWindow   how far behind the camera's newest frame a frame may arrive and still count as
     *                        merely reordered (not late, so its alert is not stale)
     * @param futureTolerance how far past its arrival a frame's time may be before the camera's clock is off
     * @param lateHorizon     how long closed visits and frame ids are kept for late frames (event time)
     * @param memory          how many recent frame ids a camera keeps at most
     */
    public record Rules(Duration reorderWindow, Duration futureTolerance, Duration lateHorizon, int memory) {
        public static final Rules DEFAULTS = new Rules(Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofMinutes(10), 4096);

        public Rules {
            if (reorderWindow.isNegative() || futureTolerance.isNegative() || lateHorizon.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative");
            }
            if (memory < 1) {
                throw new IllegalArgumentException("memory must be at least 1");
            }
        }
    }

    /** Where a new frame falls in its camera's event time. */
    public enum Order { IN_ORDER, REORDERED, LATE }

    /** A clock problem seen on a frame: none, a frame from the future, a jump back. */
    public enum Skew { NONE, FUTURE, BACK }

    /**
     * The gate's word on one observation.
     *
     * @param duplicate the frame was admitted before: decide nothing
     * @param watermark the camera's newest frame time after this frame, for expiring visits
     * @param sharded   the camera's frames come over more than one shard (as its source declared), so they may
     *                  arrive out of order: a visit's first alert waits until the reorder window has passed its
     *                  first frame
     */
    record Admission(boolean duplicate, Order order, Skew skew, Instant watermark, boolean sharded) {
        static final Admission DUPLICATE = new Admission(true, Order.LATE, Skew.NONE, null, false);
    }

    /** A camera's clock as the frames showed it (for the health check). */
    public record ClockReport(long future, long back, Instant lastAt, String last) {
    }

    private static final long UNSET = Long.MIN_VALUE;

    /** One camera's recent frame ids and watermark; clock fields are read by the health check. */
    private static final class Camera {
        final LinkedHashMap<FrameId, Boolean> seen = new LinkedHashMap<>();
        long watermark = UNSET;
        Instant watermarkInstant;
        /** Over how many shards the camera's frames come, as its source declared (1 unless told). */
        volatile int shards = 1;
        /** The camera's counters, looked up once. */
        Counter duplicates;
        Counter reordered;
        Counter late;
        volatile ClockReport clock;
    }

    private final Rules rules;
    private final long window;
    private final long tolerance;
    private final long horizon;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final ConcurrentMap<String, Camera> cameras = new ConcurrentHashMap<>();

    public FrameGate(Rules rules, MeterRegistry metrics) {
        this(rules, metrics, Clock.systemUTC());
    }

    /** @param clock the wall clock a held alert waits on when its camera sends no more frames */
    public FrameGate(Rules rules, MeterRegistry metrics, Clock clock) {
        this.rules = rules;
        this.clock = clock;
        this.window = rules.reorderWindow().toMillis();
        this.tolerance = rules.futureTolerance().toMillis();
        this.horizon = rules.lateHorizon().toMillis();
        this.metrics = metrics;
    }

    public Rules rules() {
        return rules;
    }

    Clock clock() {
        return clock;
    }

    /**
     * @param arrivedAt when a live source received the frame (Kinesis approximate arrival, the image engine's
     *                  poll); null for replays and tests, where no clock check is possible
     */
    Admission admit(String cameraId, FaceObservation o, Instant arrivedAt) {
        Camera c = cameras.computeIfAbsent(cameraId, this::camera);
        if (c.seen.putIfAbsent(FrameId.of(o), Boolean.TRUE) != null) {
            c.duplicates.increment();
            return Admission.DUPLICATE;
        }
        long t = o.frameTime().toEpochMilli();
        long arrived = arrivedAt == null ? UNSET : arrivedAt.toEpochMilli();
        Skew skew = arrivedAt != null && t > arrived + tolerance ? Skew.FUTURE : Skew.NONE;
        Order order;
        if (c.watermark == UNSET || t >= c.watermark) {
            order = Order.IN_ORDER;
        } else if (t >= c.watermark - window) {
            order = Order.REORDERED;
        } else if (arrivedAt != null && c.watermark > arrived + window) {
            skew = Skew.BACK; // the camera's newest frame is ahead of the wall clock: its clock was set back
            order = Order.IN_ORDER;
            c.watermark = t;
            c.watermarkInstant = o.frameTime();
        } else {
            order = Order.LATE;
        }
        if (order == Order.IN_ORDER && skew != Skew.FUTURE && t >= c.watermark) {
            c.watermark = t;
            c.watermarkInstant = o.frameTime();
        }
        forget(c);
        if (order != Order.IN_ORDER) {
            (order == Order.LATE ? c.late : c.reordered).increment();
        }
        if (skew != Skew.NONE) {
            clockOff(cameraId, c, skew, o.frameTime(), arrivedAt);
        }
        return new Admission(false, order, skew, c.watermarkInstant == null ? o.frameTime() : c.watermarkInstant, c.shards > 1);
    }

    /** The camera's watermark, or null before its first frame (under the camera's lock). */
    Instant watermark(String cameraId) {
        Camera c = cameras.get(cameraId);
        return c == null ? null : c.watermarkInstant;
    }

    /**
     * Declares over how many shards a camera's frames come, as its source knows at start (the Kinesis source: the
     * open shards of the camera's results stream). One shard is read in order, and so are replayed files and the
     * image engine: only several shards interleave a camera's frames, and only then do first alerts wait for the
     * reorder window (from the camera's first frame on).
     */
    public void shards(String cameraId, int count) {
        cameras.computeIfAbsent(cameraId, this::camera).shards = Math.max(1, count);
    }

    private Camera camera(String cameraId) {
        Camera c = new Camera();
        c.duplicates = metrics.counter("vigil.frames.duplicate", "camera", cameraId);
        c.reordered = metrics.counter("vigil.frames.reordered", "camera", cameraId);
        c.late = metrics.counter("vigil.frames.late", "camera", cameraId);
        return c;
    }

    /** Drops the oldest ids beyond the memory bound or older than the late horizon. */
    private void forget(Camera c) {
        Iterator<FrameId> it = c.seen.keySet().iterator();
        while (it.hasNext()) {
            FrameId oldest = it.next();
            if (c.seen.size() > rules.memory() || (c.watermark != UNSET && oldest.frameMillis() < c.watermark - horizon)) {
                it.remove();
            } else {
                return;
            }
        }
    }

    private void clockOff(String cameraId, Camera c, Skew skew, Instant frameTime, Instant arrivedAt) {
        metrics.counter("vigil.frames.clock.skewed", "camera", cameraId, "kind", skew.name().toLowerCase()).increment();
        ClockReport before = c.clock == null ? new ClockReport(0, 0, null, null) : c.clock;
        String what = skew == Skew.FUTURE
                ? "frame " + Duration.between(arrivedAt, frameTime).toSeconds() + " s ahead of its arrival"
                : "frame time jumped back to " + frameTime + " (arrived " + arrivedAt + ")";
        c.clock = new ClockReport(before.future() + (skew == Skew.FUTURE ? 1 : 0),
                before.back() + (skew == Skew.BACK ? 1 : 0), arrivedAt, what);
    }

    /** The cameras whose frames showed a clock problem, by camera id. */
    public Map<String, ClockReport> clocks() {
        Map<String, ClockReport> out = new TreeMap<>();
        cameras.forEach((id, c) -> {
            ClockReport r = c.clock;
            if (r != null) {
                out.put(id, r);
            }
        });
        return out;
    }

    /** Frame ids a camera holds (for tests of the memory bound). */
    int remembered(String cameraId) {
        Camera c = cameras.get(cameraId);
        return c == null ? 0 : c.seen.size();
    }
}
