package dev.vigil.provision;

import dev.vigil.config.Household;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.CreateStreamProcessorRequest;
import software.amazon.awssdk.services.rekognition.model.DescribeStreamProcessorResponse;
import software.amazon.awssdk.services.rekognition.model.ResourceInUseException;
import software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException;

/**
 * Keeps each stream-processor camera's Rekognition processor running; called by the timer route
 * routes/13-ingest-processors.camel.yaml. Per camera and check: a STOPPED processor is started, one STARTING for
 * longer than {@code stuckAfter} is stopped, deleted and created again with the same settings (AWS's advice),
 * a FAILED one is reported with AWS's StatusMessage and started again at most every {@code retryFailedAfter}.
 * Never blocks a check waiting: a deleted name that is not reusable yet is tried again at the next check after
 * {@code retryDelay}. State per camera goes to the log (one WARN per new problem), the gauge
 * {@code vigil.stream.processor.state{camera,state}} and the readiness check {@link StreamProcessorsHealthCheck}.
 *
 * <p>Over 250 lines on purpose: the per-camera state machine (started, stuck, deleting, re-creating, failed,
 * missing, denied) reads as one piece; split, each part would need the others' timestamps.
 */
public final class ProcessorWatch {

    /** Rekognition's statuses, and what Vigil can say when it has none. */
    public enum State { RUNNING, STARTING, STOPPED, STOPPING, FAILED, UPDATING, MISSING, RECREATING, UNAVAILABLE, UNKNOWN }

    /** What the readiness check and tests see of one camera's processor. */
    public record Status(String camera, String processor, State state, String message) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorWatch.class);

    private final Supplier<RekognitionClient> rekognition;
    private final Clock clock;
    private final Duration stuckAfter;
    private final Duration retryFailedAfter;
    private final Duration retryDelay;
    private final Map<String, Watched> cameras = new LinkedHashMap<>();
    private volatile boolean checked;

    private final class Watched {
        final String camera;
        final String name;
        final Counter starts;
        final Counter recreations;
        final Counter failures;
        volatile State state = State.UNKNOWN;
        volatile String message;
        Instant startingSince;
        Instant lastStart;
        CreateStreamProcessorRequest recreate;
        boolean deletePending;
        Instant nextAttempt = Instant.MIN;
        String lastWarning;

        Watched(String camera, MeterRegistry metrics) {
            this.camera = camera;
            this.name = Names.processor(camera);
            starts = metrics.counter("vigil.stream.processor.starts", "camera", camera);
            recreations = metrics.counter("vigil.stream.processor.recreations", "camera", camera);
            failures = metrics.counter("vigil.stream.processor.failures", "camera", camera);
            for (State s : State.values()) {
                Gauge.builder("vigil.stream.processor.state", this, w -> w.state == s ? 1 : 0)
                        .tag("camera", camera).tag("state", s.name())
                        .description("1 for the camera's stream processor's current state, 0 for the others")
                        .register(metrics);
            }
        }
    }

    public ProcessorWatch(Household household, Supplier<RekognitionClient> rekognition, MeterRegistry metrics, Clock clock,
                          Duration stuckAfter, Duration retryFailedAfter, Duration retryDelay) {
        this.rekognition = rekognition;
        this.clock = clock;
        this.stuckAfter = stuckAfter;
        this.retryFailedAfter = retryFailedAfter;
        this.retryDelay = retryDelay;
        household.cameras().stream().filter(c -> c.engine() == Household.Engine.STREAM_PROCESSOR)
                .forEach(c -> cameras.put(c.id(), new Watched(c.id(), metrics)));
    }

    /** One round over every camera's processor. */
    public synchronized void check() {
        for (Watched w : cameras.values()) {
            try {
                check(w);
            } catch (ResourceNotFoundException e) {
                w.startingSince = null;
                set(w, State.MISSING, "does not exist; create it with `vigil provision apply`");
            } catch (AwsServiceException e) {
                if (StreamingAccess.denied(e)) {
                    set(w, State.UNAVAILABLE, StreamingAccess.advice());
                } else {
                    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                    set(w, State.UNKNOWN, "Rekognition answered " + (code != null ? code : "HTTP " + e.statusCode()));
                }
            } catch (SdkException e) {
                set(w, State.UNKNOWN, "Rekognition could not be reached: " + e.getClass().getSimpleName());
            }
        }
        checked = true;
    }

    private void check(Watched w) {
        Instant now = clock.instant();
        if (w.recreate != null) {
            recreate(w, now);
            return;
        }
        DescribeStreamProcessorResponse p = rekognition.get().describeStreamProcessor(b -> b.name(w.name));
        State state = state(p.statusAsString());
        if (state != State.STARTING) {
            w.startingSince = null;
        }
        switch (state) {
            case STOPPED -> start(w, now);
            case STARTING -> {
                w.startingSince = w.startingSince == null ? now : w.startingSince;
                if (Duration.between(w.startingSince, now).compareTo(stuckAfter) > 0) {
                    warn(w, "stream processor of camera " + w.camera + " has been STARTING for over " + stuckAfter
                            .toSeconds() + " s; deleting and recreating it");
                    w.recreations.increment();
                    // every setting of the old processor: notification channel, regions of interest, KMS key, data sharing
                    w.recreate = CreateStreamProcessorRequest.builder().name(w.name).input(p.input()).output(p.output())
                            .settings(p.settings()).roleArn(p.roleArn()).tags(tags(p.streamProcessorArn()))
                            .notificationChannel(p.notificationChannel()).kmsKeyId(p.kmsKeyId())
                            .regionsOfInterest(p.hasRegionsOfInterest() ? p.regionsOfInterest() : null)
                            .dataSharingPreference(p.dataSharingPreference()).build();
                    w.deletePending = true;
                    w.startingSince = null;
                    set(w, State.RECREATING, "stuck in STARTING: being recreated");
                    recreate(w, now);
                } else {
                    set(w, State.STARTING, null);
                }
            }
            case FAILED -> {
                String why = p.statusMessage() == null ? "no status message" : p.statusMessage();
                if (!State.FAILED.equals(w.state) || !why.equals(w.message)) {
                    w.failures.increment();
                }
                set(w, State.FAILED, why);
                if (w.lastStart == null || Duration.between(w.lastStart, now).compareTo(retryFailedAfter) >= 0) {
                    start(w, now);
                }
            }
            default -> set(w, state, null);
        }
    }

    private void start(Watched w, Instant now) {
        try {
            rekognition.get().startStreamProcessor(b -> b.name(w.name));
            w.starts.increment();
            w.lastStart = now;
            w.startingSince = now;
            if (w.state != State.FAILED) {
                set(w, State.STARTING, null);
            }
            LOG.info("started the stream processor of camera {}", w.camera);
        } catch (ResourceInUseException raced) {
            // it was started or is stopping meanwhile: the next check sees where it is
        }
    }

    /** Stop (ResourceInUse when already stopped is fine), delete, then create under the same name and start. */
    private void recreate(Watched w, Instant now) {
        if (now.isBefore(w.nextAttempt)) {
            return;
        }
        if (w.deletePending) {
            try {
                rekognition.get().stopStreamProcessor(b -> b.name(w.name));
            } catch (ResourceInUseException alreadyStopped) {
                // StopStreamProcessor on a stopped processor: expected
            } catch (ResourceNotFoundException gone) {
                // deleted by someone else: create it anyway
            }
            try {
                rekognition.get().deleteStreamProcessor(b -> b.name(w.name));
            } catch (ResourceInUseException stillStopping) {
                w.nextAttempt = now.plus(retryDelay);
                return;
            } catch (ResourceNotFoundException gone) {
                // fine
            }
            w.deletePending = false;
            w.nextAttempt = now.plus(retryDelay); // a deleted name is not reusable for a few seconds
            return;
        }
        try {
            rekognition.get().createStreamProcessor(w.recreate);
        } catch (ResourceInUseException nameNotYetFree) {
            w.nextAttempt = now.plus(retryDelay);
            return;
        }
        w.recreate = null;
        w.nextAttempt = Instant.MIN;
        LOG.info("recreated the stream processor of camera {}", w.camera);
        start(w, now);
    }

    private Map<String, String> tags(String arn) {
        try {
            return rekognition.get().listTagsForResource(b -> b.resourceArn(arn)).tags();
        } catch (SdkException e) {
            return Map.of();
        }
    }

    private void set(Watched w, State state, String message) {
        w.state = state;
        w.message = message;
        if (state == State.FAILED || state == State.MISSING || state == State.UNAVAILABLE || state == State.UNKNOWN) {
            warn(w, "stream processor of camera " + w.camera + " is " + state + ": " + message);
        } else if (state == State.RUNNING) {
            w.lastWarning = null;
        }
    }

    /** One WARN per new problem of a camera, not one per check. */
    private void warn(Watched w, String line) {
        if (!line.equals(w.lastWarning)) {
            LOG.warn(line);
            w.lastWarning = line;
        }
    }

    /** Every watched processor's last known state; empty before the first check. */
    public List<Status> statuses() {
        return cameras.values().stream().map(w -> new Status(w.camera, w.name, w.state, w.message)).toList();
    }

    public boolean checked() {
        return checked;
    }

    /** AWS's status as a State; one this version does not know (a newer API) is UNKNOWN, not a failed check. */
    static State state(String status) {
        try {
            return status == null ? State.UNKNOWN : State.valueOf(status);
        } catch (IllegalArgumentException e) {
            return State.UNKNOWN;
        }
    }
}
