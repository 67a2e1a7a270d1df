package dev.vigil.engine;

import dev.vigil.Headers;
import dev.vigil.config.Household;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Source;
import dev.vigil.video.KvsMedia;
import io.micrometer.core.instrument.MeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.imageio.ImageIO;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image engine: for each camera with {@code engine: image}, fetches the frames since the last poll from
 * Kinesis Video (GetImages), runs the local {@link MotionGate} on each, and only for frames with motion (as
 * {@link EpisodePlanner} paces them) calls Rekognition ({@link FaceSearch}). The result is the same
 * {@link FaceObservation}s the stream-processor path parses, so decisions are identical; plus the engine's
 * own alerts (budget reached, motion without identity once the budget is spent). One camera's frames are
 * handled by one thread at a time; cameras are independent.
 *
 * <p>A frame whose Rekognition call still fails after the SDK's own retries for a reason that may pass
 * (throttling, 5xx, network) is not skipped: it waits in the camera's {@link DeferredFrames} and is searched
 * again at the camera's next polls, before newer frames. docs/video-and-engines.md "When Rekognition throttles".
 *
 * <p>Over 250 lines on purpose: it is the one place where a camera's poll, motion, pacing and budget meet; the
 * parts that stand alone are already their own classes (MotionGate, EpisodePlanner, FaceSearch, CostMeter).
 */
public final class ImageEngine {

    private static final Logger LOG = LoggerFactory.getLogger(ImageEngine.class);

    /** Where and how often to sample: the frame bound and the lag behind the camera's clock. */
    public record Sampling(Duration lag, Duration maxCatchUp, KvsMedia.ImageSize size) {
    }

    private final Map<String, CameraState> cameras = new LinkedHashMap<>();
    private final KvsMedia media;
    private final FaceSearch search;
    private final CostMeter costs;
    private final EngineAlerts alerts;
    private final StreamArns arns;
    private final Sampling sampling;
    private final Pacing pacing;
    private final Clock clock;
    private final MeterRegistry metrics;

    public ImageEngine(List<Household.Camera> imageCameras, Pacing pacing, Sampling sampling, KvsMedia media,
                       FaceSearch search, CostMeter costs, EngineAlerts alerts, StreamArns arns, Clock clock,
                       MeterRegistry metrics) {
        for (Household.Camera c : imageCameras) {
            cameras.put(c.id(), new CameraState(c, new EpisodePlanner(pacing),
                    new MotionGate(c.image().motionSensitivity(), c.image().mask()),
                    new DeferredFrames(c.id(), sampling.maxCatchUp(), metrics)));
        }
        this.media = media;
        this.search = search;
        this.costs = costs;
        this.alerts = alerts;
        this.arns = arns;
        this.sampling = sampling;
        this.pacing = pacing;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The cameras whose next poll is due now (the timer route splits over them). */
    public List<String> dueCameras() {
        Instant now = clock.instant();
        List<String> due = new ArrayList<>();
        cameras.forEach((id, state) -> {
            if (state.nextPoll == null || !now.isBefore(state.nextPoll)) {
                due.add(id);
            }
        });
        return due;
    }

    public boolean hasCamera(String id) {
        return cameras.containsKey(id);
    }

    /** An external trigger: sample this camera at the active rate from now on, starting at once. */
    public void trigger(String id) {
        CameraState state = cameras.get(id);
        Instant now = clock.instant();
        state.lock.lock();
        try {
            state.planner.trigger(now);
            state.nextPoll = now;
        } finally {
            state.lock.unlock();
        }
        metrics.counter("vigil.image.triggers", "camera", id).increment();
    }

    /** The route step: samples the camera named by the exchange property VigilCamera. */
    public List<Object> sample(Exchange exchange) {
        String id = exchange.getProperty(EngineHeaders.CAMERA, String.class);
        exchange.setProperty(Headers.ARRIVED_AT, clock.instant());
        return sample(id);
    }

    /**
     * Fetches and handles the camera's frames since its last poll; returns its observations (for the decision
     * route) and engine alerts (for the channels), in frame order. Returns nothing when the camera is busy.
     */
    public List<Object> sample(String id) {
        CameraState state = cameras.get(id);
        if (state == null) {
            throw new IllegalArgumentException("no image-engine camera " + id);
        }
        if (!state.lock.tryLock()) {
            return List.of();
        }
        try {
            return sample(state);
        } finally {
            state.lock.unlock();
        }
    }

    private List<Object> sample(CameraState s) {
        Instant now = clock.instant();
        List<Object> out = new ArrayList<>();
        CostMeter.Level level = costs.level(s.camera.id(), now);
        announce(s, level, now, out);
        Duration interval = s.camera.image().interval();
        Duration step = pacing.slowed(interval, level);
        Instant end = now.minus(sampling.lag());
        Instant start = s.fetchedUntil == null ? end.minus(s.planner.pollEvery(now, level))
                : s.fetchedUntil.plus(step);
        if (Duration.between(start, end).compareTo(sampling.maxCatchUp()) > 0) {
            start = end.minus(sampling.maxCatchUp());
        }
        s.nextPoll = now.plus(s.planner.pollEvery(now, level));
        searchDeferred(s, now, out);
        if (start.isAfter(end)) {
            return out;
        }
        int max = (int) Math.min(100, Duration.between(start, end).toMillis() / Math.max(1, step.toMillis()) + 1);
        List<KvsMedia.Image> images;
        try {
            costs.charge(s.camera.id(), CostMeter.Api.GET_IMAGES, 1, now);
            images = media.images(s.camera.kvsStream(), start, end, step, max, sampling.size());
        } catch (RuntimeException e) {
            failed(s, "GetImages", e, "fetching the same frames at the next poll");
            return out;
        }
        for (KvsMedia.Image image : images) {
            s.fetchedUntil = image.time();
            if (!image.ok()) {
                metrics.counter("vigil.image.frames", "camera", s.camera.id(), "result", "no_media").increment();
                continue;
            }
            handle(s, new Frame(image.time(), image.jpeg()), now, out);
        }
        if (images.size() < max) { // a full page may have left newer frames: the next poll starts after the last one read
            s.fetchedUntil = s.fetchedUntil == null || s.fetchedUntil.isBefore(end) ? end : s.fetchedUntil;
        }
        s.nextPoll = now.plus(s.planner.pollEvery(now, costs.level(s.camera.id(), now)));
        return out;
    }

    private void handle(CameraState s, Frame frame, Instant now, List<Object> out) {
        BufferedImage decoded = decode(frame.jpeg());
        if (decoded == null) {
            metrics.counter("vigil.image.frames", "camera", s.camera.id(), "result", "undecodable").increment();
            return;
        }
        int[] thumb = MotionGate.thumbnail(decoded);
        MotionGate.Result motion = s.gate.compare(s.previous, thumb);
        s.previous = thumb;
        CostMeter.Level level = costs.level(s.camera.id(), now);
        announce(s, level, now, out);
        EpisodePlanner.Action action = s.planner.onFrame(frame.time(), motion.motion(), level);
        metrics.counter("vigil.image.frames", "camera", s.camera.id(), "result",
                motion.motion() ? "motion" : "still").increment();
        switch (action) {
            case SKIP -> {
            }
            case MOTION_ONLY -> {
                if (!s.planner.episodeStart().equals(s.motionAlerted)) {
                    s.motionAlerted = s.planner.episodeStart();
                    out.add(alerts.motion(s.camera, s.planner.episodeStart(), frame.time(), motion, arns.of(s.camera)));
                }
            }
            case DETECT -> {
                // while an older frame waits (Rekognition failed for it this poll), this one waits behind it
                if (!s.deferred.isEmpty() || !detect(s, frame, decoded, out)) {
                    s.deferred.add(frame);
                }
            }
        }
    }

    /** DetectFaces and the searches of one frame; true when done (found faces or none), false when it waits. */
    private boolean detect(CameraState s, Frame frame, BufferedImage decoded, List<Object> out) {
        Source source = new Source(Source.IMAGE, arns.of(s.camera), null, frame.time(),
                "getImages:" + s.camera.kvsStream() + "@" + frame.time());
        try {
            List<FaceObservation> faces = search.search(s.camera.id(), s.camera.kvsStream(), frame, decoded, source);
            s.planner.detected(frame.time(), faces.size());
            out.addAll(faces);
            return true;
        } catch (RuntimeException e) {
            boolean again = DeferredFrames.transientFailure(e);
            failed(s, "Rekognition", e, again ? "searching the frame again at the next poll" : "skipping the frame");
            return !again; // refused for good (permissions, a bad image): another try would fail the same way
        }
    }

    /** The frames waiting since an earlier poll, oldest first, until one fails again. */
    private void searchDeferred(CameraState s, Instant now, List<Object> out) {
        for (Frame frame = s.deferred.next(now); frame != null; frame = s.deferred.next(now)) {
            BufferedImage decoded = decode(frame.jpeg()); // it decoded when it arrived
            if (decoded != null && !detect(s, frame, decoded, out)) {
                return; // still failing: it stays first in line
            }
            s.deferred.searched();
        }
    }

    private static BufferedImage decode(byte[] jpeg) {
        try {
            return ImageIO.read(new ByteArrayInputStream(jpeg));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One engine alert per budget level a camera enters, per day. */
    private void announce(CameraState s, CostMeter.Level level, Instant now, List<Object> out) {
        LocalDate day = costs.day(now);
        if (!day.equals(s.announcedDay)) {
            s.announcedDay = day;
            s.announced = CostMeter.Level.NORMAL;
        }
        if (level.ordinal() > s.announced.ordinal()) {
            s.announced = level;
            LOG.info("camera {}: daily Rekognition budget {} ({} spent): {}", s.camera.id(),
                    level == CostMeter.Level.SLOW ? "nearly reached" : "reached",
                    String.format(java.util.Locale.ROOT, "$%.3f", costs.spentToday(s.camera.id())),
                    level == CostMeter.Level.SLOW ? "sampling slower" : "motion only, no identity checks");
            out.add(alerts.budget(s.camera, level, now, costs, arns.of(s.camera)));
        }
    }

    private void failed(CameraState s, String what, RuntimeException e, String then) {
        metrics.counter("vigil.image.errors", "camera", s.camera.id(), "call", what).increment();
        LOG.warn("camera {}: {} failed, {}: {}", s.camera.id(), what, then, e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())));
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static final class CameraState {
        final Household.Camera camera;
        final EpisodePlanner planner;
        final MotionGate gate;
        final ReentrantLock lock = new ReentrantLock();
        final DeferredFrames deferred;
        int[] previous;
        Instant fetchedUntil;
        volatile Instant nextPoll;
        Instant motionAlerted;
        LocalDate announcedDay;
        CostMeter.Level announced = CostMeter.Level.NORMAL;

        CameraState(Household.Camera camera, EpisodePlanner planner, MotionGate gate, DeferredFrames deferred) {
            this.camera = camera;
            this.planner = planner;
            this.gate = gate;
            this.deferred = deferred;
        }
    }
}
