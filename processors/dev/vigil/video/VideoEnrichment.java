package dev.vigil.video;

import dev.vigil.config.Household;
import dev.vigil.model.Alert;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches an alert from its camera's Kinesis Video stream before the channels get it: the frame at
 * {@code observedAt} (GetImages) and, for private channels, an HLS clip URL covering the visit. Both are
 * fetched in parallel within one time budget (vigil.snapshot.budget): whatever is not there by then is
 * left out and the alert goes on, on time, saying so ({@code snapshot.status: none}).
 */
public class VideoEnrichment {

    private static final Logger LOG = LoggerFactory.getLogger(VideoEnrichment.class);

    private final VideoSettings settings;
    private final Map<String, String> streams;
    private final KvsMedia media;
    private final SnapshotStore store;
    private final SnapshotTokens tokens;
    private final ExecutorService executor;
    private final MeterRegistry metrics;
    private final Clock clock;

    public VideoEnrichment(VideoSettings settings, Household household, KvsMedia media, SnapshotStore store,
                           SnapshotTokens tokens, ExecutorService executor, MeterRegistry metrics, Clock clock) {
        this.settings = settings;
        this.streams = household.cameras().stream().filter(c -> c.kvsStream() != null)
                .collect(Collectors.toMap(Household.Camera::id, Household.Camera::kvsStream));
        this.media = media;
        this.store = store;
        this.tokens = tokens;
        this.executor = executor;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * In the background, once at start-up: caches each camera's data endpoints and loads the JPEG codec, so
     * the first alert's budget is not spent on them. A failure here only means the first alert fetches them.
     */
    public void warmUp() {
        if (!settings.enabled()) {
            return;
        }
        executor.execute(() -> {
            javax.imageio.ImageIO.getImageReadersByFormatName("jpeg").hasNext();
            for (String stream : streams.values()) {
                try {
                    if (settings.snapshots()) {
                        media.warmUp(stream, software.amazon.awssdk.services.kinesisvideo.model.APIName.GET_IMAGES);
                    }
                    if (settings.clips()) {
                        media.warmUp(stream,
                                software.amazon.awssdk.services.kinesisvideo.model.APIName.GET_HLS_STREAMING_SESSION_URL);
                    }
                } catch (RuntimeException e) {
                    LOG.info("Kinesis Video stream {}: no data endpoint yet ({})", stream, e.getClass().getSimpleName());
                }
            }
        });
    }

    /** Enrichment is on, the alert is from a live source, and its camera has a Kinesis Video stream. */
    public boolean applies(Exchange exchange) {
        Alert a = exchange.getMessage().getBody(Alert.class);
        return settings.enabled() && a != null && !a.replayed() && streams.containsKey(a.camera().id());
    }

    public void enrich(Exchange exchange) {
        Alert a = exchange.getMessage().getBody(Alert.class);
        String stream = streams.get(a.camera().id());
        long deadline = System.nanoTime() + settings.budget().toNanos();
        CompletableFuture<KvsMedia.Image> frame = settings.snapshots()
                ? CompletableFuture.supplyAsync(() -> media.frameAt(stream, a.observedAt(), settings.size()), executor) : null;
        CompletableFuture<Clip> clip = settings.clips() ? CompletableFuture.supplyAsync(() -> clip(stream, a), executor) : null;
        if (frame != null) {
            Alert.Snapshot snapshot = snapshot(a, await(frame, deadline, a, "snapshot"), exchange);
            exchange.getMessage().setBody(a.withSnapshot(snapshot));
            metrics.counter("vigil.snapshots", "camera", a.camera().id(), "result",
                    snapshot.isAttached() ? "attached" : snapshot.reason()).increment();
        }
        if (clip != null) {
            Outcome<Clip> c = await(clip, deadline, a, "clip");
            c.value().ifPresent(value -> exchange.setProperty(VideoMedia.CLIP, value));
            metrics.counter("vigil.clips", "camera", a.camera().id(), "result", c.value().isPresent() ? "linked" : c.reason())
                    .increment();
        }
    }

    private Clip clip(String stream, Alert a) {
        Instant start = a.visit().firstSeen().minus(settings.clipPadding());
        Instant end = a.visit().lastSeen().plus(settings.clipPadding());
        URI url = media.hlsOnDemand(stream, start, end, settings.clipExpiry());
        return new Clip(url.toString(), start, end, clock.instant().plus(settings.clipExpiry()));
    }

    private Alert.Snapshot snapshot(Alert a, Outcome<KvsMedia.Image> outcome, Exchange exchange) {
        Instant at = a.observedAt();
        if (outcome.value().isEmpty()) {
            return Alert.Snapshot.none(outcome.reason(), at);
        }
        KvsMedia.Image image = outcome.value().get();
        if (!image.ok()) {
            String reason = switch (image.error()) {
                case "NO_MEDIA" -> "no media";
                case "MEDIA_ERROR" -> "media error";
                case "TOO_LARGE" -> "too large";
                default -> "error";
            };
            LOG.info("alert {}: no snapshot ({})", a.id(), reason);
            return Alert.Snapshot.none(reason, at);
        }
        byte[] jpeg = settings.drawFaceBox() && a.face() != null ? FaceBox.draw(image.jpeg(), a.face().boundingBox())
                : image.jpeg();
        Instant expiresAt = clock.instant().plus(settings.urlExpiry());
        store.put(a.id(), jpeg, expiresAt);
        exchange.setProperty(VideoMedia.SNAPSHOT_JPEG, jpeg);
        exchange.setProperty(VideoMedia.FRAME_JPEG, image.jpeg());
        return Alert.Snapshot.attached(at, tokens.url(settings.publicUrl(), a.id(), expiresAt), expiresAt);
    }

    private record Outcome<T>(Optional<T> value, String reason) {
    }

    /** The future's value if it completes before the deadline; else the reason it does not count. */
    private static <T> Outcome<T> await(CompletableFuture<T> future, long deadline, Alert a, String what) {
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            return new Outcome<>(Optional.ofNullable(future.get(left, TimeUnit.NANOSECONDS)), null);
        } catch (TimeoutException e) {
            future.cancel(false);
            LOG.info("alert {}: no {} (Kinesis Video did not answer within the budget)", a.id(), what);
            return new Outcome<>(Optional.empty(), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome<>(Optional.empty(), "error");
        } catch (ExecutionException e) {
            // the exception's class and AWS's error code only: a message may quote a URL holding a session token
            Throwable cause = e.getCause();
            LOG.warn("alert {}: no {} ({}{})", a.id(), what, cause.getClass().getSimpleName(),
                    cause instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
                            && aws.awsErrorDetails() != null ? " " + aws.awsErrorDetails().errorCode() : "");
            return new Outcome<>(Optional.empty(), "error");
        }
    }
}
