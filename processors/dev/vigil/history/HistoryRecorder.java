package dev.vigil.history;

import dev.vigil.Headers;
import dev.vigil.ingest.Replay;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.video.VideoMedia;
import java.time.Clock;
import org.apache.camel.Exchange;

/**
 * The deliver routes' history steps (routes/40-deliver, 41-deliver-console, 90-dead-letter): each hands an
 * event to the {@link HistoryWriter} and returns at once; nothing here throws into a delivery.
 * <ul>
 *   <li>{@link #decided}: the alert, before it fans out to the channels, with the JPEGs of its frame when
 *   the enrichment fetched one (face crop cut around its face box), or for the sample day generated,
 *   clearly synthetic pictures ({@link SyntheticImages});</li>
 *   <li>{@link #delivered}: a channel (VigilChannel) sent it;</li>
 *   <li>{@link #deadLettered}: a channel dead-lettered it (kind alert-&lt;channel&gt;) or its rate guard held
 *   it (kind held-&lt;channel&gt;), with the reason.</li>
 * </ul>
 * With vigil.history.enabled=false every step does nothing.
 */
public class HistoryRecorder {

    /** The exchange property naming the channel a gate or channel route works for. */
    public static final String CHANNEL = Headers.CHANNEL;
    /** The replay file name of the bundled sample day (routes/10-ingest-sample). */
    static final String SAMPLE = "sample";

    private final HistoryWriter writer;
    private final Clock clock;

    /** @param writer null when the history is off */
    public HistoryRecorder(HistoryWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    public void decided(Exchange exchange) {
        if (writer == null || !(exchange.getMessage().getBody() instanceof Alert alert)) {
            return;
        }
        writer.offer(decidedEvent(exchange, alert));
    }

    private HistoryEvent.Decided decidedEvent(Exchange exchange, Alert alert) {
        AlertRecord record = AlertRecord.of(alert, clock.instant());
        byte[] frame = VideoMedia.frame(exchange);
        // the teaching step's crop (faces/FaceCrop, enrolment's photo rules), when it cut one (30-enrich)
        byte[] crop = exchange.getProperty(dev.vigil.teach.DecidingFrame.FACE_CROP, byte[].class);
        if (frame != null || crop != null) {
            return new HistoryEvent.Decided(record, crop != null ? crop : alert.face() == null ? null
                    : FaceCut.around(frame, alert.face().boundingBox()), VideoMedia.snapshot(exchange));
        }
        if (SAMPLE.equals(exchange.getMessage().getHeader(Replay.FILE_NAME_HEADER)) && alert.face() != null) {
            return new HistoryEvent.Decided(record, SyntheticImages.face(alert), SyntheticImages.snapshot(alert));
        }
        return new HistoryEvent.Decided(record, null, null);
    }

    public void delivered(Exchange exchange) {
        if (writer == null || Boolean.TRUE.equals(exchange.getProperty(Headers.DEAD_LETTERED, Boolean.class))) {
            return; // the dead-letter route records it
        }
        outcome(exchange, DeliveryOutcome.DELIVERED, null);
    }

    public void deadLettered(Exchange exchange) {
        if (writer == null) {
            return;
        }
        String kind = exchange.getMessage().getHeader(Headers.DEAD_LETTER_KIND, String.class);
        if (kind == null || !(kind.startsWith("alert-") || kind.startsWith("held-"))) {
            return; // a record, not an alert
        }
        outcome(exchange, kind.startsWith("held-") ? DeliveryOutcome.HELD : DeliveryOutcome.DEAD_LETTERED,
                exchange.getMessage().getHeader(Headers.DEAD_LETTER_REASON, String.class));
    }

    private void outcome(Exchange exchange, DeliveryOutcome outcome, String reason) {
        Alert alert = exchange.getMessage().getBody() instanceof Alert a ? a
                : exchange.getProperty(Headers.ALERT) instanceof Alert a ? a : null;
        String channel = exchange.getProperty(CHANNEL, String.class);
        if (alert == null || channel == null) {
            return;
        }
        if (alert.type() == AlertType.SUMMARY) {
            // the rate guard's summary is made in the gate, not decided: it enters the history here
            writer.offer(new HistoryEvent.Decided(AlertRecord.of(alert, clock.instant()), null, null));
        }
        writer.offer(new HistoryEvent.Outcome(alert.id(), new AlertRecord.Delivery(channel, outcome, reason,
                clock.instant())));
    }
}
