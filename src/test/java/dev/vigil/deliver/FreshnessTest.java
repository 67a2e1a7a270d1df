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
            ObjectMapper json = new ObjectMapper().findAndRegisterModules();
            com.fasterxml.jackson.databind.node.ObjectNode example = (com.fasterxml.jackson.databind.node.ObjectNode)
                    json.readTree(Path.of("docs/alert-v1-examples/unknown_face.json").toFile());
            example.put("replayed", false).put("stale", false); // as the decider makes it
            return json.treeToValue(example, Alert.class);
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
    void replayedAlertsAreMarkedReplayedAndNeverStaleNorExpired() {
        Exchange replay = new DefaultExchange(new DefaultCamelContext());
        replay.setProperty(Headers.REPLAYED, true);
        Alert marked = at(Duration.ofDays(365)).mark(List.of(alert), replay).get(0);
        assertFalse(marked.stale());
        assertTrue(marked.replayed());
        assertFalse(at(Duration.ofDays(365)).expired(marked, replay), "no arrival time: not a live source");
    }

    @Test
    void alertsOfLiveRecordsAreNotReplayed() {
        assertFalse(at(Duration.ofSeconds(1)).mark(List.of(alert), live()).get(0).replayed());
    }
}
