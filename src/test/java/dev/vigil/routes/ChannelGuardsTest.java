package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.vigil.model.Alert;
import dev.vigil.model.Severity;
import dev.vigil.testing.Alerts;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Streams;
import dev.vigil.testing.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel gate's guards against real local receivers: circuit breaker, rate guard, per-webhook timeouts. */
class ChannelGuardsTest {

    private static final String SECRET = "guards-secret-0123456789";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private Path secret() {
        return Fixtures.write(dir.resolve("secret"), SECRET);
    }

    private RunningVigil vigil(String channels, Map<String, String> props) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "vigil.config", Fixtures.exampleHouseholdWith(dir, channels).toString(),
                "vigil.delivery.retry-initial", "10ms", "vigil.delivery.retry-max", "50ms",
                "vigil.delivery.replay-window", "300ms"));
        all.putAll(props);
        return new RunningVigil(dir.resolve("data"), all);
    }

    @Test
    void aFailingChannelsCircuitOpensThenReplayedAlertsGoStraightToDeadLettersUntilAProbeSucceeds() throws Exception {
        try (WebhookReceiver failing = new WebhookReceiver(SECRET).alwaysRespond(500);
             WebhookReceiver healthy = new WebhookReceiver(SECRET)) {
            String channels = webhooks(signed("failing", failing), signed("healthy", healthy));
            try (RunningVigil vigil = vigil(channels, Map.of("vigil.breaker.failures", "2",
                    "vigil.breaker.open-for", "3s", "vigil.breaker.unhealthy-after", "1500ms"))) {
                MeterRegistry metrics = vigil.main().getCamelContext().getRegistry()
                        .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                HealthCheck health = vigil.main().getCamelContext().getRegistry().findByType(HealthCheck.class).stream()
                        .filter(h -> h.getId().equals("channels")).findFirst().orElseThrow();
                assertTrue(health.isReadiness() && !health.isLiveness());
                assertEquals(HealthCheck.State.UP, health.call().getState());

                Alert first = Alerts.unknownFace();
                vigil.deliver(first);
                int tried = failing.requests().size();
                assertTrue(tried >= 2, "retried for its window (300 ms): " + tried);
                assertEquals(java.util.Set.of(first.id()), failing.alertIds());
                assertEquals(2.0, circuit(metrics, "failing"), "two failed tries in a row open the circuit");
                assertEquals(0.0, circuit(metrics, "healthy"));

                long start = System.nanoTime();
                vigil.deliver(Alerts.unknownFace());
                vigil.deliver(Alerts.unknownFace());
                long openMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(tried, failing.requests().size(), "while open, nothing is sent to the failing receiver");
                assertEquals(3, healthy.requests().size(), "the healthy webhook got every alert");
                List<JsonNode> letters = letters("alert-failing");
                assertEquals(3, letters.size());
                assertEquals(2, letters.stream().filter(l -> l.get("reason").asText().equals("circuit open")).count());
                assertEquals(1, letters.stream().filter(l -> l.get("reason").asText().startsWith("expired undelivered"))
                        .count(), "the first alert, once its window closed");
                System.out.printf("circuit: 2 alerts to an open circuit dead-lettered in %d ms%n", openMs);

                HealthCheck.Result early = health.call();
                assertEquals(HealthCheck.State.UP, early.getState(), "open for less than unhealthy-after");
                assertTrue(early.getDetails().containsKey("channel.failing.openSince"), early.getDetails().toString());
                Streams.await(Duration.ofSeconds(10), () -> health.call().getState() == HealthCheck.State.DOWN,
                        "readiness DOWN once the circuit is open longer than unhealthy-after");
                HealthCheck.Result down = health.call();
                assertEquals(HealthCheck.State.DOWN, down.getState());
                assertTrue(down.getMessage().orElse("").startsWith("channel failing: circuit open since "),
                        down.getMessage().toString());

                TimeUnit.MILLISECONDS.sleep(1500); // past open-for: the next alert is a probe, tried once
                long probing = System.nanoTime();
                vigil.deliver(Alerts.unknownFace());
                System.out.printf("circuit: a failed probe took %d ms%n", (System.nanoTime() - probing) / 1_000_000);
                assertEquals(tried + 1, failing.requests().size(), "the probe is not retried");
                assertEquals(2.0, circuit(metrics, "failing"), "the failed probe opened the circuit again");
                assertEquals(HealthCheck.State.DOWN, health.call().getState());
                assertEquals(down.getMessage(), health.call().getMessage(), "open since the first time");

                failing.alwaysRespond(200);
                TimeUnit.MILLISECONDS.sleep(3100);
                Alert probe = Alerts.unknownFace();
                vigil.deliver(probe);
                // the summary of what expired during the outage may follow the probe at once: count the alerts only
                assertEquals(tried + 2, alertsOnly(failing).size());
                assertEquals(probe.id(), alertsOnly(failing).get(tried + 1).headers().get("X-Vigil-Alert-Id"));
                assertEquals(0.0, circuit(metrics, "failing"), "the probe's success closed the circuit");
                assertEquals(HealthCheck.State.UP, health.call().getState());
                vigil.deliver(Alerts.unknownFace());
                assertEquals(tried + 3, alertsOnly(failing).size(), "closed again: alerts flow");
            }
        }
    }

    @Test
    void aReceiverRefusingAnAlertIsNotAnOutage() throws Exception {
        try (WebhookReceiver refusing = new WebhookReceiver(SECRET).alwaysRespond(400)) {
            String channels = webhooks(signed("strict", refusing));
            try (RunningVigil vigil = vigil(channels, Map.of("vigil.breaker.failures", "2"))) {
                for (int i = 0; i < 3; i++) {
                    vigil.deliver(Alerts.unknownFace());
                }
            }
            assertEquals(3, refusing.requests().size(), "every alert was offered: HTTP 400 does not open the circuit");
            assertTrue(letters("alert-strict").stream().allMatch(l -> l.get("reason").asText().contains("HTTP 400")));
        }
    }

    @Test
    void anAlertAChannelCannotRenderIsDeadLetteredAsItWasAndCountsAsAFailure() throws Exception {
        try (WebhookReceiver ha = new WebhookReceiver(SECRET); WebhookReceiver plain = new WebhookReceiver(SECRET)) {
            String channels = """
                    channels:
                      webhooks:
                        - name: ha
                          url: %s
                          preset: home-assistant
                        - name: plain
                          url: %s
                          secretFile: %s
                    """.formatted(ha.url(), plain.url(), secret());
            Alert a = Alerts.unknownFace();
            Alert noCamera = new Alert(a.version(), a.id(), a.type(), a.severity(), a.reason(), null, a.person(), a.visit(),
                    a.observedAt(), a.expiresAt(), a.stale(), a.replayed(), a.face(), a.source());
            try (RunningVigil vigil = vigil(channels, Map.of("vigil.breaker.failures", "1"))) {
                vigil.deliver(noCamera);
                MeterRegistry metrics = vigil.main().getCamelContext().getRegistry()
                        .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                assertEquals(2.0, circuit(metrics, "ha"), "a channel failing on every alert is taken out of the way");
                assertEquals(0.0, circuit(metrics, "plain"));
            }
            assertEquals(0, ha.requests().size());
            assertEquals(1, plain.requests().size(), "the other channel delivered it");
            JsonNode letter = letters("alert-ha").get(0);
            assertTrue(letter.get("reason").asText().startsWith("ha failed: NullPointerException"), letter.toString());
            assertEquals(a.id(), letter.get("payload").get("id").asText(), "the alert itself, ready for vigil redeliver");
            assertNull(letter.get("payload").get("camera").textValue());
            assertEquals(List.of(), Fixtures.files(dir.resolve("data/dead-letters/record")), "not the whole record");
        }
    }

    @Test
    void alertsOverTheCeilingAreHeldAndFoldedIntoOneSummaryPerChannel() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver(SECRET); WebhookReceiver ha = new WebhookReceiver(SECRET);
             WebhookReceiver ntfy = new WebhookReceiver(SECRET)) {
            String channels = webhooks(signed("hook", hook, "rateLimit: {max: 2, per: 3s}"), """
                        - name: ha
                          url: %s
                          preset: home-assistant
                          rateLimit: {max: 2, per: 3s}
                        - name: phone
                          url: %s
                          preset: ntfy
                    """.formatted(ha.url(), ntfy.url()));
            List<Alert> warnings = List.of(Alerts.unknownFace(), Alerts.unknownFace(), Alerts.unknownFace(),
                    Alerts.unknownFace(), Alerts.unknownFace());
            Alert critical = Alerts.unknownFace(Severity.CRITICAL);
            try (RunningVigil vigil = vigil(channels, Map.of("vigil.rate-guard.max", "3", "vigil.rate-guard.per", "3s",
                    "vigil.rate-guard.check-interval-ms", "200"))) {
                for (int i = 0; i < warnings.size(); i++) {
                    vigil.deliver(warnings.get(i));
                    if (i == 2) {
                        vigil.deliver(critical);
                    }
                }
                assertEquals(3, hook.requests().size(), "two within the ceiling, and the critical one (exempt)");
                assertEquals(critical.id(), hook.requests().get(2).headers().get("X-Vigil-Alert-Id"));
                assertEquals(4, ntfy.requests().size(), "the default ceiling (3 per 3s) for the phone");
                waitFor(() -> hook.requests().size() == 4 && ha.requests().size() == 4 && ntfy.requests().size() == 5);
                Streams.holds(Duration.ofMillis(600), () -> hook.requests().size() == 4, "one summary, once");
            }
            List<String> heldIds = warnings.subList(2, 5).stream().map(Alert::id).toList();
            WebhookReceiver.Request request = hook.requests().get(3);
            assertTrue(request.signatureValid());
            JsonNode summary = request.json();
            assertEquals("summary", summary.get("type").asText());
            assertEquals("warning", summary.get("severity").asText());
            assertEquals(summary.get("id").asText(), request.headers().get("X-Vigil-Alert-Id"));
            assertEquals(3, summary.get("summary").get("count").asInt());
            assertEquals(2, summary.get("summary").get("ceiling").asInt());
            assertEquals("hook", summary.get("summary").get("channel").asText());
            assertEquals(heldIds, json.convertValue(summary.get("summary").get("alertIds"), List.class));
            assertEquals(3, summary.get("summary").get("byType").get("unknown_face").asInt());
            assertEquals(3, summary.get("summary").get("byCamera").get("side-gate-cam").asInt());
            assertTrue(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(json.readTree(Path.of("docs/alert-v1.schema.json").toFile())).validate(summary).isEmpty());
            System.out.println("summary alert: " + summary);

            JsonNode haSummary = ha.requests().get(3).json();
            assertEquals("summary", haSummary.get("type").asText());
            assertEquals(3, haSummary.get("count").asInt());
            assertEquals(heldIds, json.convertValue(haSummary.get("alert_ids"), List.class));
            assertTrue(haSummary.get("title").asText().startsWith("3 more alerts at side-gate-cam, "),
                    haSummary.get("title").asText());
            WebhookReceiver.Request push = ntfy.requests().get(4);
            assertTrue(push.headers().get("Title").startsWith("2 more alerts at side-gate-cam, "), push.headers().toString());
            String text = new String(push.body(), StandardCharsets.UTF_8);
            assertTrue(text.contains("unknown_face 2") && text.contains(warnings.get(4).id()), text);

            List<JsonNode> held = letters("held-hook");
            assertEquals(heldIds, held.stream().map(l -> l.get("payload").get("id").asText()).sorted(
                    java.util.Comparator.comparing(heldIds::indexOf)).toList(), "every held alert is kept in full");
            assertTrue(held.get(0).get("reason").asText().endsWith("summary alert " + summary.get("id").asText()));
            assertEquals(List.of(), letters("alert-hook"));
        }
    }

    @Test
    void alertsStillHeldWhenVigilStopsGoOutAsASummaryBeforeItStops() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver(SECRET)) {
            String channels = webhooks(signed("hook", hook, "rateLimit: {max: 1, per: 1h}"));
            List<Alert> alerts = List.of(Alerts.unknownFace(), Alerts.unknownFace(), Alerts.unknownFace());
            try (RunningVigil vigil = vigil(channels, Map.of())) {
                alerts.forEach(vigil::deliver);
                assertEquals(1, hook.requests().size());
            }
            assertEquals(2, hook.requests().size(), "the summary left as Vigil stopped (end of a replay, shutdown)");
            JsonNode summary = hook.requests().get(1).json().get("summary");
            assertEquals(2, summary.get("count").asInt());
            assertEquals(List.of(alerts.get(1).id(), alerts.get(2).id()),
                    json.convertValue(summary.get("alertIds"), List.class));
        }
    }

    @Test
    void eachWebhookWaitsAsLongAsItsOwnTimeoutSays() throws Exception {
        try (WebhookReceiver slow = new WebhookReceiver(SECRET).slowAfter(0, 1500)) {
            String channels = webhooks(signed("impatient", slow, "timeout: {response: 400ms}"),
                    signed("patient", slow, "timeout: {connect: 1s, response: 5s}"), signed("default", slow));
            try (RunningVigil vigil = vigil(channels, Map.of("vigil.webhook.response-timeout-ms", "800"))) {
                vigil.deliver(Alerts.unknownFace());
            }
            assertEquals(List.of(), letters("alert-patient"), "5s is enough for a receiver answering after 1.5s");
            JsonNode impatient = letters("alert-impatient").get(0);
            assertTrue(impatient.get("reason").asText().contains("SocketTimeoutException"), impatient.toString());
            JsonNode byDefault = letters("alert-default").get(0);
            assertTrue(byDefault.get("reason").asText().contains("SocketTimeoutException"),
                    "vigil.webhook.response-timeout-ms (800 ms) for a webhook without its own");
            assertEquals(3, slow.requests().size(), "each once: the others' retry window (300 ms) closed during the first try");
        }
    }

    private static double circuit(MeterRegistry metrics, String channel) {
        return metrics.get("vigil.channel.circuit").tag("channel", channel).gauge().value();
    }

    private List<JsonNode> letters(String kind) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (Path p : Fixtures.files(dir.resolve("data/dead-letters/" + kind))) {
            out.add(json.readTree(p.toFile()));
        }
        return out;
    }

    /** The household file's channels block with these webhooks. */
    private static String webhooks(String... entries) {
        return "channels:\n  webhooks:\n" + String.join("", entries);
    }

    /** One signed webhook entry to this receiver, with extra keys such as "rateLimit: {max: 1, per: 1h}". */
    private String signed(String name, WebhookReceiver receiver, String... extra) throws Exception {
        StringBuilder entry = new StringBuilder("    - name: " + name + "\n      url: " + receiver.url()
                + "\n      secretFile: " + secret() + "\n");
        for (String key : extra) {
            entry.append("      ").append(key).append("\n");
        }
        return entry.toString();
    }

    /** The requests that carried alerts, not the summary of missed ones. */
    private static List<WebhookReceiver.Request> alertsOnly(WebhookReceiver receiver) {
        return receiver.requests().stream().filter(r -> !"summary".equals(r.json().path("type").asText())).toList();
    }

    private static void waitFor(BooleanSupplier condition) {
        Streams.await(Duration.ofSeconds(15), condition, "the webhooks' requests");
    }
}
