package dev.vigil.decide;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness check "camera-clocks": DOWN while some camera's frames showed its clock off (a frame from the
 * future, or a jump back; see {@link FrameGate}) within the last {@code offFor}, naming the camera and what was
 * seen; UP otherwise. Each such camera's counts stay in the details. Group {@code vigil}.
 */
public final class CameraClocksHealthCheck extends AbstractHealthCheck {

    public static final String ID = "camera-clocks";
    private final FrameGate frames;
    private final Duration offFor;
    private final Clock clock;

    public CameraClocksHealthCheck(FrameGate frames, Duration offFor, Clock clock) {
        super("vigil", ID);
        this.frames = frames;
        this.offFor = offFor;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant since = clock.instant().minus(offFor);
        StringBuilder off = new StringBuilder();
        frames.clocks().forEach((camera, r) -> {
            builder.detail("camera." + camera + ".framesFromTheFuture", r.future());
            builder.detail("camera." + camera + ".jumpsBack", r.back());
            if (r.lastAt() != null && r.lastAt().isAfter(since)) {
                off.append(off.isEmpty() ? "" : "; ").append("camera ").append(camera).append(": clock is off (")
                        .append(r.last()).append(")");
            }
        });
        if (off.isEmpty()) {
            builder.up();
        } else {
            builder.message(off + "; set the camera's clock (NTP)").down();
        }
    }
}
