package dev.vigil.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.history.AlertRecord;
import dev.vigil.history.DeliveryOutcome;
import dev.vigil.history.HistoryStore;
import dev.vigil.model.Alert;
import dev.vigil.testing.Alerts;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the deliver routes write to the history, per channel, and that a failing history costs no delivery. */
class HistoryRecordingTest {

    private static final String SECRET = "history-secret-0123456789";

    @TempDir
    Path dir;

    private RunningVigil vigil(WebhookReceiver ok, WebhookReceiver down) throws Exception {
        String channels = """
                channels:
                  webhooks:
                    - name: ok
                      url: %s
                      secretFile: %s
                      rateLimit: {max: 1, per: 1h}
                    - name: down
                      url: %s
                      secretFile: %s
                """.formatted(ok.url(), Fixtures.write(dir.resolve("secret"), SECRET), down.url(),
                dir.resolve("secret"));
        return new RunningVigil(dir.resolve("data"), Map.of("vigil.config",
                Fixtures.exampleHouseholdWith(dir, channels).toString(), "vigil.webhook.retries", "1",
                "vigil.webhook.retry-delay-ms", "10", "vigil.rate-guard.exempt-critical", "true"));
    }

    @Test
    void eachChannelsOutcomeIsRecordedDeliveredDeadLetteredOrHeld() throws Exception {
        try (WebhookReceiver ok = new WebhookReceiver(SECRET); WebhookReceiver down = new WebhookReceiver(SECRET).alwaysRespond(500);
             RunningVigil vigil = vigil(ok, down)) {
            HistoryStore store = store(vigil);
            Alert first = Alerts.unknownFace();
            Alert second = Alerts.unknownFace();
            vigil.deliver(first);
            vigil.deliver(second);

            await().atMost(Duration.ofSeconds(20)).until(() -> store.get(second.id())
                    .map(r -> r.deliveries().size() == 2).orElse(false) && store.get(first.id())
                    .map(r -> r.deliveries().size() == 2).orElse(false));
            Map<String, AlertRecord.Delivery> one = store.get(first.id()).orElseThrow().deliveries();
            assertEquals(DeliveryOutcome.DELIVERED, one.get("ok").outcome());
            assertEquals(DeliveryOutcome.DEAD_LETTERED, one.get("down").outcome());
            Map<String, AlertRecord.Delivery> two = store.get(second.id()).orElseThrow().deliveries();
            assertEquals(DeliveryOutcome.HELD, two.get("ok").outcome(), "over the ceiling of 1 an hour");
            assertTrue(two.get("ok").reason().startsWith("over the channel's ceiling"), two.get("ok").reason());
            assertEquals(DeliveryOutcome.DEAD_LETTERED, two.get("down").outcome());
            assertEquals(2, store.count(), "one record per alert");

            vigil.deliver(first); // the same alert again (a re-read record): updated, not added
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> store.count() == 2);
        }
    }

    @Test
    void aFailingHistoryNeitherBlocksNorLosesADelivery() throws Exception {
        try (WebhookReceiver ok = new WebhookReceiver(SECRET); WebhookReceiver down = new WebhookReceiver(SECRET);
             RunningVigil vigil = vigil(ok, down)) {
            store(vigil).close(); // every write from now on fails
            MeterRegistry metrics = vigil.main().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry",
                    MeterRegistry.class);
            Alert alert = Alerts.unknownFace();

            vigil.deliver(alert);

            assertEquals(alert.id(), ok.requests().get(0).headers().get("X-Vigil-Alert-Id"), "delivered all the same");
            await().atMost(Duration.ofSeconds(10)).until(() -> metrics.counter("vigil.history.write.failures").count() >= 1);
        }
    }

    private static HistoryStore store(RunningVigil vigil) {
        return vigil.main().getCamelContext().getRegistry().lookupByNameAndType("historyStore", HistoryStore.class);
    }
}
