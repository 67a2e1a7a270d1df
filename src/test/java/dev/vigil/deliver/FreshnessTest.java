package dev.vigil.deliver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Headers;
import dev.vigil.model.Alert;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class FreshnessTest {

    private final Alert alert = read();

    private static Alert read() {
        try {
            return new ObjectMapper().findAndRegisterModules()
                    .readValue(Path.of("docs/alert-v1-examples/unknown_face.json").toFile(), Alert.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Freshness at(Duration afterFrame) {
        return new Freshness(Duration.ofMinutes(5), Clock.fixed(alert.observedAt().plus(afterFrame), ZoneOffset.UTC));
    }

    private static Exchange live() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Headers.ARRIVED_AT, java.time.Instant.now());
        return exchange;
    }

    @Test
    void liveAlertProcessedLaterThanTheLimitIsMarkedStaleAndStillSent() {
        List<Alert> out = at(Duration.ofMinutes(6)).mark(List.of(alert), live());
        assertTrue(out.get(0).stale());
    }

    @Test
    void liveAlertWithinTheLimitIsFresh() {
        assertFalse(at(Duration.ofSeconds(34)).mark(List.of(alert), live()).get(0).stale());
    }

    @Test
    void replayedAlertsAreNeverStale() {
        Exchange replay = new DefaultExchange(new DefaultCamelContext());
        assertFalse(at(Duration.ofDays(365)).mark(List.of(alert), replay).get(0).stale());
    }
}
