package dev.vigil.provision;

import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness (not liveness: a restart does not fix a processor): UP when every stream-processor camera's
 * processor is RUNNING; DOWN otherwise, with each camera's state and AWS's message in the details.
 * Group {@code vigil}, id {@code stream-processors}.
 */
public final class StreamProcessorsHealthCheck extends AbstractHealthCheck {

    public static final String ID = "stream-processors";
    private final ProcessorWatch watch;

    public StreamProcessorsHealthCheck(ProcessorWatch watch) {
        super("vigil", ID);
        this.watch = watch;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<ProcessorWatch.Status> statuses = watch.statuses();
        for (ProcessorWatch.Status s : statuses) {
            builder.detail("camera." + s.camera(), s.message() == null ? s.state().name() : s.state() + ": " + s.message());
        }
        if (!watch.checked()) {
            builder.message("stream processors not checked yet").down();
        } else if (statuses.stream().allMatch(s -> s.state() == ProcessorWatch.State.RUNNING)) {
            builder.up();
        } else {
            builder.message(statuses.stream().filter(s -> s.state() != ProcessorWatch.State.RUNNING)
                    .map(s -> s.camera() + " " + s.state()).reduce((a, b) -> a + ", " + b).orElse("")).down();
        }
    }
}
