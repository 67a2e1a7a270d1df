package dev.vigil.deliver;

import dev.vigil.Headers;
import dev.vigil.model.Alert;
import org.apache.camel.Exchange;

/**
 * The channel gate's one question (routes/40-deliver, bean {@code channelGuards}): may this channel send the
 * alert now? When not, it says why in the dead-letter headers and the gate sends the alert to its dead
 * letters in one branch. Asked in this order, the second only when the first let the alert pass (the rate
 * guard counts what it lets through): expired on a live source before it could be tried (alert-&lt;channel&gt;),
 * over the rate guard's ceiling (held-&lt;channel&gt;, part of a summary). What passes goes to
 * {@link Deliveries}, which owns the circuit breaker and the retries until expiry.
 */
public class ChannelGuards {

    private final Deliveries deliveries;
    private final RateGuard rateGuard;

    public ChannelGuards(Deliveries deliveries, RateGuard rateGuard) {
        this.deliveries = deliveries;
        this.rateGuard = rateGuard;
    }

    /** @return true when the alert must not be sent; the dead-letter kind and reason are then set */
    public boolean refuses(Exchange exchange) {
        Alert alert = exchange.getMessage().getBody(Alert.class);
        String channel = exchange.getProperty(Headers.CHANNEL, String.class);
        if (deliveries.expired(alert, exchange)) {
            return refuse(exchange, "alert-" + channel, "expired before it could be delivered");
        }
        if (rateGuard.holds(alert, exchange)) {
            return refuse(exchange, "held-" + channel, "over the channel's ceiling: held, part of summary alert "
                    + exchange.getProperty(RateGuard.SUMMARY_ID, String.class));
        }
        return false;
    }

    private static boolean refuse(Exchange exchange, String kind, String reason) {
        exchange.getMessage().setHeader(Headers.DEAD_LETTER_KIND, kind);
        exchange.getMessage().setHeader(Headers.DEAD_LETTER_REASON, reason);
        return true;
    }
}
