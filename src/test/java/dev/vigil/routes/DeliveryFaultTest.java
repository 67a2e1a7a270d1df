package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.model.Alert;
import dev.vigil.testing.Alerts;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retry until expiry against a real receiver on loopback, with the schedule compressed (backoff in ms, TTLs in
 * seconds) so a ten-minute outage takes seconds. Alerts come as from a live source (deliverLive): each waits
 * for its retries in its channel's lane, not on the caller. Each test prints its figures (FAULT lines).
 */
class DeliveryFaultTest {

    private static final String SECRET = "fault-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RunningVigil vigil(String url, String... more) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(
                "vigil.config", Fixtures.profileFriendlyHousehold(dir).toString(),
                "vigil.webhook.url", url, "vigil.webhook.secret", SECRET,
                "vigil.delivery.retry-initial", "20ms", "vigil.delivery.retry-max", "200ms",
                "vigil.webhook.connect-timeout-ms", "500", "vigil.webhook.response-timeout-ms", "1000",
                "vigil.rate-guard.max", "0"));
        for (int i = 0; i < more.length; i += 2) {
            props.put(more[i], more[i + 1]);
        }
        return new RunningVigil(dir.resolve("data"), props);
    }

    @Test
    void aReceiverAnswering503ToItsFirstFiveRequestsGetsEveryAlertInOrderAndNothingIsDeadLettered() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET).respond(503, 503, 503, 503, 503)) {
            List<Alert> alerts = live(10, Duration.ofSeconds(30));
            try (RunningVigil vigil = vigil(receiver.url())) {
                long start = System.nanoTime();
                alerts.forEach(vigil::deliverLive);
                long handedOver = (System.nanoTime() - start) / 1_000_000;
                await(() -> receiver.accepted().size() >= alerts.size(), 20_000, "every alert delivered");
                long drained = (System.nanoTime() - start) / 1_000_000;
                assertEquals(ids(alerts), receiver.accepted(), "every alert once, in order");
                assertEquals(15, receiver.requests().size(), "five refused tries of the first alert, then ten deliveries");
                assertTrue(handedOver < 3_000, "the caller (ingestion) did not wait for the retries: " + handedOver + " ms");
                assertEquals(0.0, counter(vigil, "dead_lettered"));
                assertEquals(10.0, counter(vigil, "delivered"));
                System.out.printf("FAULT 503x5: %d alerts, delivered %d, duplicated 0, dead-lettered 0, summarised 0; "
                        + "handed over in %d ms, drained in %d ms%n", alerts.size(), receiver.accepted().size(), handedOver,
                        drained);
            }
            assertEquals(List.of(), Fixtures.files(dir.resolve("data/dead-letters")));
        }
    }

    @Test
    void aReceiverDownForAWhileGetsEveryUnexpiredAlertOnceInOrderAndOneSummaryOfTheExpiredOnes() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET).down()) {
            List<Alert> alerts = new ArrayList<>();
            long start;
            long drained;
            double countedDeadLettered;
            try (RunningVigil vigil = vigil(receiver.url(), "vigil.breaker.failures", "3")) {
                MeterRegistry metrics = metrics(vigil);
                start = System.nanoTime();
                // the outage (3 minutes compressed to 3 s): an alert every 150 ms, each expiring 1.5 s after its frame
                while ((System.nanoTime() - start) / 1_000_000 < 3_000) {
                    Alert a = Alerts.live(Duration.ofMillis(1500));
                    alerts.add(a);
                    vigil.deliverLive(a);
                    Thread.sleep(150);
                }
                assertEquals(0, receiver.accepted().size());
                assertEquals(2.0, metrics.get("vigil.channel.circuit").tag("channel", "webhook").gauge().value(),
                        "the circuit is open during the outage");
                double pending = metrics.get("vigil.channel.pending").tag("channel", "webhook").gauge().value();
                assertTrue(pending > 0, "alerts wait for their retries: " + pending);
                HealthCheck.Result health = channelsCheck(vigil).call();
                assertTrue(((Number) health.getDetails().get("channel.webhook.pending")).intValue() > 0,
                        health.getDetails().toString());
                assertTrue(((Number) health.getDetails().get("channel.webhook.deadLettered")).intValue() > 0,
                        "the first alerts expired during the outage: " + health.getDetails());
                long upAt = System.nanoTime();
                receiver.up();
                await(() -> receiver.accepted().stream().anyMatch(id -> summaryIds(receiver).contains(id)), 10_000,
                        "the summary of what expired arrived");
                await(() -> metrics.get("vigil.channel.pending").tag("channel", "webhook").gauge().value() == 0,
                        10_000, "the lane drained");
                drained = (System.nanoTime() - upAt) / 1_000_000;
                Thread.sleep(500);
                assertEquals(0.0, metrics.get("vigil.channel.circuit").tag("channel", "webhook").gauge().value());
                countedDeadLettered = counter(vigil, "dead_lettered");
            }
            List<String> delivered = receiver.accepted().stream().filter(id -> !summaryIds(receiver).contains(id)).toList();
            List<JsonNode> summaries = receiver.requests().stream().filter(r -> r.json().get("type").asText().equals("summary"))
                    .map(WebhookReceiver.Request::json).toList();
            assertEquals(1, summaries.stream().map(s -> s.get("id").asText()).distinct().count(), "exactly one summary");
            assertEquals(1, receiver.accepted().stream().filter(summaryIds(receiver)::contains).count(), "sent once");
            JsonNode summary = summaries.get(0);
            List<String> missed = JSON.convertValue(summary.get("summary").get("alertIds"), List.class);
            Set<String> expired = new TreeSet<>();
            for (Path p : Fixtures.files(dir.resolve("data/dead-letters/alert-webhook"))) {
                JsonNode letter = JSON.readTree(p.toFile());
                assertTrue(letter.get("reason").asText().startsWith("expired undelivered"), letter.toString());
                expired.add(letter.get("payload").get("id").asText());
            }
            assertEquals(expired, new TreeSet<>(missed), "the summary folds exactly the expired alerts");
            assertEquals(expired.size(), countedDeadLettered, 0.0,
                    "each expired alert counted in vigil_deliveries_total{outcome=dead_lettered}");
            assertEquals(new HashSet<>(delivered).size(), delivered.size(), "each unexpired alert once");
            List<String> unexpired = ids(alerts).stream().filter(id -> !expired.contains(id)).toList();
            assertEquals(unexpired, delivered, "every unexpired alert, in order");
            assertTrue(!missed.isEmpty() && !delivered.isEmpty(), "some expired, some did not");
            assertEquals("missed", summary.get("summary").get("cause").asText());
            assertEquals(missed.size(), summary.get("summary").get("count").asInt());
            System.out.printf("FAULT down 3 s (TTL 1.5 s): %d alerts, delivered %d in order, duplicated 0, expired and "
                    + "summarised %d in 1 summary; drained %d ms after the receiver came back%n", alerts.size(),
                    delivered.size(), missed.size(), drained);
        }
    }

    @Test
    void randomServerErrorsOnAThousandAlertsLoseNothingAndDuplicateOnlyWhereTheAnswerWasLost() throws Exception {
        int n = 1000;
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET).flaky(0.5, 0.1, 14)) {
            List<Alert> alerts = live(n, Duration.ofMinutes(5));
            long drained;
            try (RunningVigil vigil = vigil(receiver.url(), "vigil.delivery.retry-initial", "1ms",
                    "vigil.delivery.retry-max", "4ms")) {
                long start = System.nanoTime();
                alerts.forEach(vigil::deliverLive);
                await(() -> new HashSet<>(receiver.accepted()).size() >= n, 90_000, "every alert delivered");
                await(() -> metrics(vigil).get("vigil.channel.pending").tag("channel", "webhook").gauge().value() == 0,
                        10_000, "nothing pending");
                drained = (System.nanoTime() - start) / 1_000_000;
            }
            List<String> accepted = receiver.accepted();
            int duplicates = accepted.size() - new HashSet<>(accepted).size();
            assertEquals(new TreeSet<>(ids(alerts)), new TreeSet<>(accepted), "all delivered");
            assertEquals(receiver.lostAnswers(), duplicates, "a duplicate exactly where the receiver's answer was lost");
            Map<String, Long> expected = new java.util.TreeMap<>();
            ids(alerts).forEach(id -> expected.put(id, 1L));
            receiver.lostIds().forEach(id -> expected.merge(id, 1L, Long::sum));
            Map<String, Long> received = new java.util.TreeMap<>();
            accepted.forEach(id -> received.merge(id, 1L, Long::sum));
            assertEquals(expected, received, "each alert processed once, plus once more for each answer lost");
            assertEquals(List.of(), Fixtures.files(dir.resolve("data/dead-letters")));
            System.out.printf("FAULT random 50%% 5xx: %d alerts, %d requests, delivered %d, duplicated %d (answers lost %d), "
                    + "dead-lettered 0; drained in %d ms%n", n, receiver.requests().size(), new HashSet<>(accepted).size(),
                    duplicates, receiver.lostAnswers(), drained);
        }
    }

    @Test
    void killDashNineDuringAnOutageWithTheOutboxOnThePendingAlertsContinueAfterTheRestart() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET).down()) {
            Path data = dir.resolve("data");
            Map<String, String> env = new HashMap<>(Map.of("VIGIL_WEBHOOK_URL", receiver.url(), "VIGIL_WEBHOOK_SECRET",
                    SECRET, "VIGIL_DATA_DIR", data.toString(), "VIGIL_CONSOLE_ENABLED", "false",
                    "VIGIL_OUTBOX_ENABLED", "true", "VIGIL_DELIVERY_RETRY_MAX", "200ms", "VIGIL_SAMPLE_ENABLED", "true"));
            Path outbox = data.resolve("outbox/webhook");
            Process first = dev.vigil.testing.VigilProcess.start(java.nio.file.Files.createDirectories(dir.resolve("run1")), env);
            try {
                // the sample day's alerts, written to the outbox, retried against a receiver that is down
                await(() -> Fixtures.files(outbox).size() >= 6 && receiver.requests().size() > 6, 60_000,
                        "the sample day's alerts in the outbox, retried");
            } finally {
                first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
            }
            Set<String> pending = new TreeSet<>();
            for (Path p : Fixtures.files(outbox)) {
                pending.add(JSON.readTree(p.toFile()).get("alert").get("id").asText());
            }
            assertEquals(Set.of(), new TreeSet<>(receiver.accepted()), "nothing was delivered before the kill");
            receiver.up();
            env.put("VIGIL_SAMPLE_ENABLED", "false");
            long start = System.nanoTime();
            Process second = dev.vigil.testing.VigilProcess.start(java.nio.file.Files.createDirectories(dir.resolve("run2")), env);
            try {
                await(() -> new TreeSet<>(receiver.accepted()).equals(pending), 60_000, "the pending alerts delivered");
                long drained = (System.nanoTime() - start) / 1_000_000;
                await(() -> Fixtures.files(outbox).isEmpty(), 10_000, "the outbox emptied");
                assertEquals(pending.size(), receiver.accepted().size(), "each once");
                assertEquals(List.of(), Fixtures.files(data.resolve("dead-letters/alert-webhook")));
                System.out.printf("FAULT kill -9 in an outage (outbox on): %d alerts pending in the outbox, delivered %d "
                        + "after the restart, duplicated 0, %d ms from the restart (JVM and Camel start-up included)%n",
                        pending.size(), receiver.accepted().size(), drained);
            } finally {
                second.destroy();
                second.waitFor();
            }
        }
    }

    private static List<Alert> live(int n, Duration ttl) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alerts.add(Alerts.live(ttl));
        }
        return alerts;
    }

    private static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(Alert::id).toList();
    }

    private static Set<String> summaryIds(WebhookReceiver receiver) {
        Set<String> ids = new HashSet<>();
        for (WebhookReceiver.Request r : receiver.requests()) {
            if (r.json().get("type").asText().equals("summary")) {
                ids.add(r.json().get("id").asText());
            }
        }
        return ids;
    }

    private static MeterRegistry metrics(RunningVigil vigil) {
        return vigil.main().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
    }

    private static double counter(RunningVigil vigil, String outcome) {
        var c = metrics(vigil).find("vigil.deliveries").tag("channel", "webhook").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private static HealthCheck channelsCheck(RunningVigil vigil) {
        return vigil.main().getCamelContext().getRegistry().findByType(HealthCheck.class).stream()
                .filter(h -> h.getId().equals("channels")).findFirst().orElseThrow();
    }

    static void await(BooleanSupplier condition, long ms, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
