package dev.vigil.deliver;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Honours a receiver's Retry-After (seconds or an HTTP date) on 429 and 503: the next try waits that long (at
 * most {@code max}) instead of the exponential backoff ({@link Deliveries} asks {@link #asked}; as a processor
 * it sets Camel's redelivery delay for a route that uses Camel's own redelivery).
 */
public class RetryAfter implements Processor {

    private final Duration max;
    private final Clock clock;

    public RetryAfter(Duration max, Clock clock) {
        this.max = max;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        Duration wait = asked(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        if (wait != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
        }
    }

    /** How long the receiver asked to wait (Retry-After on a 429 or 503, at most {@code max}), or null. */
    public Duration asked(Exception e) {
        if (e instanceof HttpOperationFailedException http && (http.getStatusCode() == 429 || http.getStatusCode() == 503)
                && http.getResponseHeaders() != null) {
            Duration wait = parse(http.getResponseHeaders().entrySet().stream()
                    .filter(h -> h.getKey().equalsIgnoreCase("Retry-After")).map(h -> h.getValue()).findFirst().orElse(null));
            return wait == null ? null : wait.compareTo(max) > 0 ? max : wait;
        }
        return null;
    }

    Duration parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
