package dev.vigil.teach;

import dev.vigil.history.AlertRecord;
import dev.vigil.history.HistoryStore;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stranger recurrence (30-enrich, after the face crop is kept): an unknown face is first searched in the
 * strangers collection; the earlier alerts it matches, within the unknown-face retention, make the alert say
 * "seen 3 times in the last 7 days, first on Tue 1 Dec 14:02" ({@code recurrence} in the alert). Then the
 * face is indexed there under this alert's id. A failure costs the recurrence, never the alert.
 */
public class StrangerRecurrence {

    private static final Logger LOG = LoggerFactory.getLogger(StrangerRecurrence.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

    private final Strangers strangers;
    private final HistoryStore history;
    private final Duration window;
    private final ZoneId zone;
    private final MeterRegistry metrics;

    public StrangerRecurrence(Strangers strangers, HistoryStore history, Duration window, ZoneId zone,
                              MeterRegistry metrics) {
        this.strangers = strangers;
        this.history = history;
        this.window = window;
        this.zone = zone;
        this.metrics = metrics;
    }

    public void recognise(Exchange exchange) {
        Alert a = exchange.getMessage().getBody(Alert.class);
        byte[] crop = exchange.getProperty(DecidingFrame.FACE_CROP, byte[].class);
        if (a == null || crop == null || a.type() != AlertType.UNKNOWN_FACE) {
            return;
        }
        try {
            Instant since = a.observedAt().minus(window);
            List<AlertRecord> earlier = strangers.search(crop).stream().filter(id -> !id.equals(a.id()))
                    .map(history::get).flatMap(Optional::stream)
                    .filter(r -> !r.observedAt().isBefore(since) && !r.observedAt().isAfter(a.observedAt()))
                    .sorted(Comparator.comparing(AlertRecord::observedAt).thenComparing(AlertRecord::id)).toList();
            if (!earlier.isEmpty()) {
                Instant first = earlier.get(0).observedAt();
                int count = earlier.size() + 1;
                Alert seen = a.withRecurrence(new Alert.Recurrence(count, first,
                        earlier.stream().map(AlertRecord::id).toList()), a.reason() + "; seen " + count
                        + " times in the last " + describe(window) + ", first on " + DAY.format(first.atZone(zone)));
                exchange.getMessage().setBody(seen); // recorded by the history recorder (40-deliver)
                metrics.counter("vigil.strangers", "result", "recurring").increment();
            } else {
                metrics.counter("vigil.strangers", "result", "first").increment();
            }
            strangers.index(a.id(), crop);
        } catch (RuntimeException e) {
            LOG.warn("alert {}: stranger recurrence skipped ({})", a.id(), e.getClass().getSimpleName());
            metrics.counter("vigil.strangers", "result", "error").increment();
        }
    }

    static String describe(Duration d) {
        if (d.toHours() % 24 == 0 && d.toDays() > 0) {
            return d.toDays() == 1 ? "day" : d.toDays() + " days";
        }
        return d.toHours() <= 1 ? "hour" : d.toHours() + " hours";
    }
}
