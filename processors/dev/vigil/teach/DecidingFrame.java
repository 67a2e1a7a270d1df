package dev.vigil.teach;

import dev.vigil.config.Household;
import dev.vigil.faces.FaceCrop;
import dev.vigil.faces.Photo;
import dev.vigil.faces.Refused;
import dev.vigil.history.HistoryStore;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.video.KvsMedia;
import dev.vigil.video.VideoMedia;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;

/**
 * Cuts the face crop of a live alert's deciding frame (30-enrich), so the alert can be taught later with
 * either engine: from the frame the snapshot step already fetched, else one GetImages call, for unknown and
 * suspected alerts even with snapshots off. The crop is the face box widened by half on every side, at least
 * 80 px a side (faces/FaceCrop, enrolment's photo rules). It goes in the exchange property {@link #FACE_CROP}:
 * the stranger step searches with it and the history recorder (40-deliver) stores it. A failure costs the
 * crop, never the alert: it is counted (vigil.teach.crops{result}) and the alert goes on.
 */
public class DecidingFrame {

    /** The stored crop (byte[]) of this alert's face. */
    public static final String FACE_CROP = "VigilFaceCrop";
    private static final Logger LOG = LoggerFactory.getLogger(DecidingFrame.class);

    private final HistoryStore history;
    private final KvsMedia media;
    private final Map<String, String> streams;
    private final MeterRegistry metrics;
    private final java.time.Duration budget;
    private final java.util.concurrent.ExecutorService fetcher;

    /**
     * @param budget how long an alert may wait for its frame (vigil.snapshot.budget): a slower Kinesis Video
     *               costs the crop, never the alert's time
     */
    public DecidingFrame(HistoryStore history, KvsMedia media, Household household, MeterRegistry metrics,
                         java.time.Duration budget, java.util.concurrent.ExecutorService fetcher) {
        this.budget = budget;
        this.fetcher = fetcher;
        this.history = history;
        this.media = media;
        this.streams = household.cameras().stream().filter(c -> c.kvsStream() != null)
                .collect(Collectors.toMap(Household.Camera::id, Household.Camera::kvsStream));
        this.metrics = metrics;
    }

    /** A live alert with a face box from a camera with a Kinesis Video stream, while the history is on. */
    public boolean applies(Exchange exchange) {
        Alert a = exchange.getMessage().getBody(Alert.class);
        return history != null && a != null && !a.replayed() && a.face() != null && a.face().boundingBox() != null
                && streams.containsKey(a.camera().id());
    }

    public void keep(Exchange exchange) {
        Alert a = exchange.getMessage().getBody(Alert.class);
        byte[] frame = exchange.getProperty(VideoMedia.FRAME_JPEG, byte[].class);
        if (frame == null) {
            if (a.type() != AlertType.UNKNOWN_FACE && a.type() != AlertType.SUSPECTED_MATCH) {
                return; // known people's frames are kept only when the snapshot step fetched them
            }
            if (a.snapshot() != null) {
                count("no frame"); // the snapshot step tried and found none in time: asking again would not help
                return;
            }
            frame = fetch(a);
            if (frame == null) {
                return;
            }
        }
        try {
            var box = a.face().boundingBox();
            Photo crop = FaceCrop.crop(Photo.check("frame", frame), BoundingBox.builder().left((float) box.left())
                    .top((float) box.top()).width((float) box.width()).height((float) box.height()).build(), 1);
            exchange.setProperty(FACE_CROP, crop.bytes()); // the history recorder (40-deliver) stores it
            count("stored");
        } catch (Refused e) {
            LOG.info("alert {}: no face crop ({})", a.id(), e.getMessage());
            count("unusable");
        } catch (RuntimeException e) {
            LOG.warn("alert {}: face crop not stored ({})", a.id(), e.getClass().getSimpleName());
            count("error");
        }
    }

    private byte[] fetch(Alert a) {
        java.util.concurrent.Future<KvsMedia.Image> call = fetcher.submit(() ->
                media.frameAt(streams.get(a.camera().id()), a.observedAt(), KvsMedia.ImageSize.ORIGINAL));
        try {
            KvsMedia.Image image = call.get(budget.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!image.ok()) {
                count("no frame");
                return null;
            }
            return image.jpeg();
        } catch (java.util.concurrent.TimeoutException e) {
            call.cancel(true);
            count("timed out");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | RuntimeException failure) {
            Throwable e = failure instanceof java.util.concurrent.ExecutionException x && x.getCause() != null
                    ? x.getCause() : failure;
            // the class and AWS error code only: a message may quote an endpoint URL
            LOG.warn("alert {}: deciding frame not fetched ({}{})", a.id(), e.getClass().getSimpleName(),
                    e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
                            && aws.awsErrorDetails() != null ? " " + aws.awsErrorDetails().errorCode() : "");
            count("error");
            return null;
        }
    }

    private void count(String result) {
        metrics.counter("vigil.teach.crops", "result", result).increment();
    }
}
