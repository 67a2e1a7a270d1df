package dev.vigil.engine;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's frames whose Rekognition call failed for a reason that may pass ({@link #transientFailure}),
 * oldest first, waiting to be searched again at the camera's next polls. At most {@link #MAX} wait, and only
 * while they lie within {@code window} (vigil.image.max-catch-up) of now; beyond either, the oldest is dropped,
 * logged at WARN and counted. Counts in {@code vigil.image.frames{camera,result}}: {@code deferred},
 * {@code searched_late}, {@code dropped}. Not thread-safe: one camera's frames are handled one at a time.
 */
final class DeferredFrames {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredFrames.class);
    /** Frames a camera keeps for another search; beyond, the oldest is dropped. */
    static final int MAX = 5;

    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private final String camera;
    private final Duration window;
    private final MeterRegistry metrics;

    DeferredFrames(String camera, Duration window, MeterRegistry metrics) {
        this.camera = camera;
        this.window = window;
        this.metrics = metrics;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    /** Keeps a frame for a later poll, behind the ones already waiting. */
    void add(Frame frame) {
        frames.addLast(frame);
        count("deferred");
        while (frames.size() > MAX) {
            drop(MAX + " newer frames wait");
        }
    }

    /** The oldest waiting frame still worth searching at {@code now}, or null; older ones are dropped. */
    Frame next(Instant now) {
        while (!frames.isEmpty() && Duration.between(frames.peekFirst().time(), now).compareTo(window) > 0) {
            drop("older than vigil.image.max-catch-up");
        }
        return frames.peekFirst();
    }

    /** The frame {@link #next} gave was searched at last. */
    void searched() {
        frames.removeFirst();
        count("searched_late");
    }

    private void drop(String why) {
        Frame frame = frames.removeFirst();
        count("dropped");
        LOG.warn("camera {}: the frame of {} was never searched (Rekognition kept failing; {}): dropped", camera,
                frame.time(), why);
    }

    private void count(String result) {
        metrics.counter("vigil.image.frames", "camera", camera, "result", result).increment();
    }

    /**
     * A failure another try may not meet: throttling, a 5xx, a network error or timeout. Not: access denied, a
     * missing collection, a bad image.
     */
    static boolean transientFailure(RuntimeException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws) {
            return aws.isThrottlingException() || aws.statusCode() >= 500;
        }
        return e instanceof software.amazon.awssdk.core.exception.SdkClientException;
    }
}
