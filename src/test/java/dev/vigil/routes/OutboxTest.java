package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Json;
import dev.vigil.model.Alert;
import dev.vigil.testing.Alerts;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox (vigil.outbox.enabled): ingestion is bounded by the per-channel buffers, not by a dead channel's
 * retries; a full buffer makes the deliver step wait rather than drop; what a crash left in the outbox is
 * delivered after the next start, with the same alert ids, before new alerts.
 */
class OutboxTest {

    private static final String SECRET = "outbox-secret-0123456789";
    private static final ObjectMapper JSON = Json.mapper();

    @TempDir
    Path dir;

    private Map<String, String> props(Path data, String channels, boolean outbox, String... more) {
        Map<String, String> props = new HashMap<>(Map.of(
                "vigil.config", Fixtures.exampleHouseholdWith(data, channels).toString(),
                "vigil.outbox.enabled", Boolean.toString(outbox),
                "vigil.delivery.retry-initial", "10ms", "vigil.delivery.replay-window", "1s",
                "vigil.webhook.connect-timeout-ms", "1000", "vigil.webhook.response-timeout-ms", "1000",
                "vigil.breaker.failures", "2", "vigil.breaker.open-for", "60s"));
        for (int i = 0; i < more.length; i += 2) {
            props.put(more[i], more[i + 1]);
        }
        return props;
    }

    private String webhook(String name, String url) {
        Path secret = Fixtures.write(dir.resolve("secret"), SECRET);
        return """
                    - name: %s
                      url: %s
                      secretFile: %s
                """.formatted(name, url, secret);
    }

    /** Ms to hand N alerts to the channels (the deliver step, what ingestion waits for). */
    private long ingest(RunningVigil vigil, List<Alert> alerts) {
        long start = System.nanoTime();
        alerts.forEach(vigil::deliver);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void deadAndHangingChannelsDoNotSlowIngestionAndLoseNothing() throws Exception {
        int n = 20;
        try (WebhookReceiver healthy = new WebhookReceiver(SECRET); WebhookReceiver hanging = new WebhookReceiver(SECRET).hang();
             WebhookReceiver closed = new WebhookReceiver(SECRET)) {
            String refusedUrl = closed.url();
            closed.close();
            String channels = "channels:\n  webhooks:\n" + webhook("healthy", healthy.url())
                    + webhook("refused", refusedUrl) + webhook("hanging", hanging.url());

            // without the outbox (as before): each alert waits for every channel, the dead ones' retries included
            List<Alert> first = alerts(n);
            long without;
            try (RunningVigil vigil = new RunningVigil(dir.resolve("without/data"), props(dir.resolve("without"), channels, false))) {
                without = ingest(vigil, first);
            }

            Path data = dir.resolve("with/data");
            List<Alert> alerts = alerts(n);
            try (RunningVigil vigil = new RunningVigil(data, props(dir.resolve("with"), channels, true))) {
                int before = healthy.requests().size();
                long with = ingest(vigil, alerts);
                int waitingHanging = Fixtures.files(data.resolve("outbox/hanging")).size();
                double gauge = vigil.main().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry",
                        MeterRegistry.class).get("vigil.outbox.size").tag("channel", "hanging").gauge().value();
                System.out.printf("outbox: %d alerts to a healthy, a refusing and a hanging webhook (response timeout "
                        + "1000 ms, retried for 1 s, circuit opens after 2): ingestion took %d ms without the outbox, %d ms with "
                        + "it; %d alerts waiting in the hanging webhook's outbox (gauge %.0f) when ingestion was done%n",
                        n, without, with, waitingHanging, gauge);

                // one alert's retry budget on the hanging webhook is 2 x 1000 ms: ingestion did not wait for it
                assertTrue(without >= 2 * 1000, "without the outbox the dead channels' retries stall ingestion: " + without);
                assertTrue(with < 2 * 1000, "with the outbox ingestion did not wait on the hanging webhook: " + with + " ms");
                assertTrue(waitingHanging > 0 && gauge > 0, "the hanging webhook's alerts wait in its outbox");

                await(() -> healthy.requests().size() >= before + n, 10_000, "the healthy webhook got every alert");
                List<String> ids = healthy.requests().subList(before, before + n).stream()
                        .map(r -> r.headers().get("X-Vigil-Alert-Id")).toList();
                assertEquals(alerts.stream().map(Alert::id).toList(), ids, "healthy webhook: every alert, in order");

                for (String dead : List.of("refused", "hanging")) {
                    Path letters = data.resolve("dead-letters/alert-" + dead);
                    await(() -> Fixtures.files(letters).size() >= n, 30_000, dead + ": every alert dead-lettered");
                    List<String> dlIds = new ArrayList<>();
                    for (Path p : Fixtures.files(letters)) {
                        dlIds.add(JSON.readTree(p.toFile()).get("payload").get("id").asText());
                    }
                    assertEquals(alerts.stream().map(Alert::id).sorted().toList(), dlIds.stream().sorted().toList(),
                            dead + ": nothing lost, each alert dead-lettered once (vigil redeliver sends them)");
                    await(() -> Fixtures.files(data.resolve("outbox/" + dead)).isEmpty(), 5_000, dead + ": outbox emptied");
                }
            }
        }
    }

    @Test
    void aFullBufferMakesIngestionWaitAndDropsNothing() throws Exception {
        int n = 6;
        try (WebhookReceiver slow = new WebhookReceiver(SECRET).slowAfter(0, 700)) {
            Path data = dir.resolve("data");
            String channels = "channels:\n  webhooks:\n" + webhook("slow", slow.url());
            List<Alert> alerts = alerts(n);
            try (RunningVigil vigil = new RunningVigil(data, props(dir, channels, true, "vigil.outbox.capacity", "2",
                    "vigil.outbox.offer-timeout", "30s", "vigil.webhook.response-timeout-ms", "5000"))) {
                long took = ingest(vigil, alerts);
                System.out.printf("outbox: %d alerts to a webhook answering after 700 ms, buffer of 2: ingestion took %d ms%n",
                        n, took);
                // one in flight and two queued go in at once; each further alert waits for a slot (about 700 ms)
                assertTrue(took >= 2 * 700, "the deliver step waited for room in the full buffer: " + took + " ms");
                await(() -> slow.requests().size() >= n, 15_000, "every alert delivered");
                assertEquals(alerts.stream().map(Alert::id).toList(),
                        slow.requests().stream().map(r -> r.headers().get("X-Vigil-Alert-Id")).toList(), "none dropped, in order");
                assertTrue(Fixtures.files(data.resolve("dead-letters")).isEmpty(), "no dead letters");
                await(() -> Fixtures.files(data.resolve("outbox/slow")).isEmpty(), 5_000, "outbox emptied");
            }
        }
    }

    @Test
    void whatACrashLeftInTheOutboxIsDeliveredAfterStartBeforeNewAlerts() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            Path data = dir.resolve("data");
            List<Alert> left = alerts(3);
            for (Alert a : left) { // as the outbox writes them
                ObjectNode entry = JSON.createObjectNode();
                entry.put("channel", "home");
                entry.put("source", "crash-test#" + a.id());
                entry.putNull("arrivedAt");
                entry.set("alert", JSON.valueToTree(a));
                Fixtures.write(data.resolve("outbox/home/" + a.id() + ".json"), JSON.writeValueAsString(entry));
                Thread.sleep(20); // distinct modification times: recovery goes oldest first
            }
            Alert fresh = Alerts.unknownFace();
            String channels = "channels:\n  webhooks:\n" + webhook("home", receiver.url());
            try (RunningVigil vigil = new RunningVigil(data, props(dir, channels, true))) {
                vigil.deliver(fresh);
                await(() -> receiver.requests().size() >= 4, 10_000, "the left alerts and the new one delivered");
                List<String> ids = receiver.requests().stream().map(r -> r.headers().get("X-Vigil-Alert-Id")).toList();
                assertEquals(List.of(left.get(0).id(), left.get(1).id(), left.get(2).id(), fresh.id()), ids,
                        "same ids, the left ones first");
                assertTrue(receiver.requests().stream().allMatch(WebhookReceiver.Request::signatureValid));
                await(() -> Fixtures.files(data.resolve("outbox/home")).isEmpty(), 5_000, "outbox emptied");
            }
            assertEquals(4, receiver.requests().size(), "each alert once");
        }
    }

    @Test
    void aStopDrainsTheBuffersWithinTheGraceAndLeavesTheRestOnDisk() throws Exception {
        try (WebhookReceiver slow = new WebhookReceiver(SECRET).slowAfter(0, 300);
             WebhookReceiver stuck = new WebhookReceiver(SECRET).hang()) {
            Path data = dir.resolve("data");
            String channels = "channels:\n  webhooks:\n" + webhook("slow", slow.url()) + webhook("stuck", stuck.url());
            List<Alert> alerts = alerts(4);
            try (RunningVigil vigil = new RunningVigil(data, props(dir, channels, true, "vigil.shutdown.grace", "3",
                    "vigil.webhook.response-timeout-ms", "10000", "vigil.delivery.replay-window", "1ms"))) {
                ingest(vigil, alerts);
            } // stops at once: the slow webhook's queue drains within the grace; the stuck one's cannot
            assertEquals(alerts.stream().map(Alert::id).toList(),
                    slow.requests().stream().map(r -> r.headers().get("X-Vigil-Alert-Id")).toList(), "drained on stop");
            assertTrue(Fixtures.files(data.resolve("outbox/slow")).isEmpty());
            List<Path> left = Fixtures.files(data.resolve("outbox/stuck"));
            int deadLettered = Fixtures.files(data.resolve("dead-letters/alert-stuck")).size();
            assertTrue(left.size() >= 3, "the stuck webhook's alerts stay on disk: " + left);
            assertEquals(4, left.size() + deadLettered, "each alert either on disk or dead-lettered");

            stuck.recover();
            int before = stuck.requests().size();
            try (RunningVigil vigil = new RunningVigil(data, props(dir, channels, true))) {
                await(() -> Fixtures.files(data.resolve("outbox/stuck")).isEmpty(), 15_000, "sent after the restart");
            }
            java.util.Set<String> accounted = new java.util.TreeSet<>(stuck.requests().subList(before,
                    stuck.requests().size()).stream().map(r -> r.headers().get("X-Vigil-Alert-Id")).toList());
            assertTrue(accounted.size() >= 3, "the alerts left on disk were sent after the restart: " + accounted);
            for (Path p : Fixtures.files(data.resolve("dead-letters/alert-stuck"))) {
                accounted.add(JSON.readTree(p.toFile()).get("payload").get("id").asText());
            }
            assertEquals(new java.util.TreeSet<>(alerts.stream().map(Alert::id).toList()), accounted,
                    "nothing lost: each alert sent after the restart or dead-lettered");
        }
    }

    @Test
    void aBufferStillFullAfterTheOfferTimeoutFailsTheDeliverStepAndKeepsTheAlertOnDisk() throws Exception {
        try (WebhookReceiver stuck = new WebhookReceiver(SECRET).hang()) {
            Path data = dir.resolve("data");
            String channels = "channels:\n  webhooks:\n" + webhook("stuck", stuck.url());
            List<Alert> alerts = alerts(3);
            try (RunningVigil vigil = new RunningVigil(data, props(dir, channels, true, "vigil.outbox.capacity", "1",
                    "vigil.outbox.offer-timeout", "300ms", "vigil.webhook.response-timeout-ms", "20000",
                    "vigil.delivery.replay-window", "1ms", "vigil.shutdown.grace", "1"))) {
                vigil.deliver(alerts.get(0));
                await(() -> stuck.requests().size() == 1, 5_000, "the first alert in flight");
                vigil.deliver(alerts.get(1)); // queued (once the first is taken)
                long start = System.nanoTime();
                Exception failed = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                        () -> vigil.deliver(alerts.get(2)), "no room within the offer timeout: the deliver step fails");
                long waited = (System.nanoTime() - start) / 1_000_000;
                assertTrue(waited >= 300, "it waited the offer timeout first: " + waited + " ms (" + failed + ")");
                assertTrue(Files.exists(data.resolve("outbox/stuck/" + alerts.get(2).id() + ".json")),
                        "the alert stays in the outbox, sent after the next start");
                stuck.recover();
            }
        }
    }

    private static List<Alert> alerts(int n) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alerts.add(Alerts.unknownFace());
        }
        return alerts;
    }

    private static void await(BooleanSupplier condition, long ms, String what) {
        dev.vigil.testing.Streams.await(java.time.Duration.ofMillis(ms), condition, what);
    }
}
