package dev.vigil.deliver;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Honours a receiver's Retry-After (seconds or an HTTP date) on 429 and 503: the next redelivery waits that
 * long (at most {@code max}) instead of the exponential backoff. Runs as the webhook error handler's
 * onExceptionOccurred step, which Camel calls before it computes the redelivery delay.
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
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof HttpOperationFailedException http && (http.getStatusCode() == 429 || http.getStatusCode() == 503)
                && http.getResponseHeaders() != null) {
            String value = http.getResponseHeaders().entrySet().stream()
                    .filter(h -> h.getKey().equalsIgnoreCase("Retry-After")).map(h -> h.getValue()).findFirst().orElse(null);
            Duration wait = parse(value);
            if (wait != null) {
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, Math.min(wait.toMillis(), max.toMillis()));
            }
        }
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
