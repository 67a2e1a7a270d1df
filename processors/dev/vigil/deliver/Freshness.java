package dev.vigil.deliver;

import dev.vigil.Headers;
import dev.vigil.model.Alert;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Marks alerts from a live source as stale when their frame is older than {@code staleAfter} at processing
 * time (they are still sent, never dropped), and alerts of replayed records as replayed (never stale, never
 * expired: a replay delivers historical alerts on purpose).
 */
public class Freshness implements Processor {

    private final Duration staleAfter;
    private final Clock clock;

    public Freshness(Duration staleAfter, Clock clock) {
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    /** On a live source, an alert past its expiresAt must not be delivered any more. */
    public boolean expired(Alert alert, Exchange exchange) {
        return exchange.getProperty(Headers.ARRIVED_AT) != null && clock.instant().isAfter(alert.expiresAt());
    }

    /** The route step as a processor: marks the body's alerts. */
    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        exchange.getMessage().setBody(mark(exchange.getMessage().getBody(List.class), exchange));
    }

    public List<Alert> mark(List<Alert> alerts, Exchange exchange) {
        if (alerts.isEmpty()) {
            return alerts;
        }
        if (exchange.getProperty(Headers.REPLAYED) != null) {
            return alerts.stream().map(Alert::asReplayed).toList();
        }
        if (exchange.getProperty(Headers.ARRIVED_AT) == null) {
            return alerts;
        }
        return alerts.stream().map(a -> a.observedAt().plus(staleAfter).isBefore(clock.instant()) ? a.asStale() : a)
                .toList();
    }
}
