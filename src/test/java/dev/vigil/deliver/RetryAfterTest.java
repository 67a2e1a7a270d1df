package dev.vigil.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final RetryAfter retryAfter = new RetryAfter(Duration.ofSeconds(60),
            Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));

    private Object delayFor(int status, String header) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new HttpOperationFailedException("http://x", status, "",
                null, header == null ? Map.of() : Map.of("retry-after", header), ""));
        retryAfter.process(exchange);
        return exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY);
    }

    @Test
    void secondsAndHttpDatesBecomeTheNextDelay() {
        assertEquals(7000L, delayFor(429, "7"));
        assertEquals(30_000L, delayFor(503, "Wed, 25 Nov 2026 12:00:30 GMT"));
    }

    @Test
    void waitsAreCappedAndNonsenseIsIgnored() {
        assertEquals(60_000L, delayFor(429, "3600"));
        assertNull(delayFor(429, "soon"));
        assertNull(delayFor(500, "7"), "only 429 and 503 carry a meaningful Retry-After");
        assertNull(delayFor(429, null));
    }
}
