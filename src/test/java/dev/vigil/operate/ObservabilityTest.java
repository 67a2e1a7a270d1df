package dev.vigil.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The observability server as an operator and Prometheus see it: Vigil started as the CLI starts it, the
 * sample day fed through the real routes to a real webhook receiver, then /observe/metrics and
 * /observe/health/* read over HTTP.
 */
class ObservabilityTest {

    private static final String SECRET = "observe-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void metricsOfTheSampleDayInPrometheusFormat() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of(
                     "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET))) {
            vigil.sampleDay();
            HttpResponse<String> scrape = get(vigil.httpUrl() + "/observe/metrics");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    "Prometheus text format: " + scrape.headers().map());
            String text = scrape.body();
            // the sample day: 58 lines, one of them not JSON (dead-lettered), on four cameras
            assertEquals(11, value(text, "vigil_records_total", "camera", "front-door"));
            assertEquals(34, value(text, "vigil_records_total", "camera", "driveway"));
            assertEquals(9, value(text, "vigil_records_total", "camera", "back-garden"));
            assertEquals(3, value(text, "vigil_records_total", "camera", "side-gate-cam"), "a stream no camera claims");
            assertEquals(1, value(text, "vigil_records_total", "camera", "unparsed"));
            assertEquals(1, value(text, "vigil_dead_letters_total", "kind", "record"));
            assertEquals(10, value(text, "vigil_observations_total", "outcome", "known"));
            assertEquals(3, value(text, "vigil_observations_total", "outcome", "suspected"));
            assertEquals(40, value(text, "vigil_observations_total", "outcome", "unknown"));
            assertEquals(4, value(text, "vigil_observations_total", "outcome", "unidentifiable"));
            assertEquals(10, value(text, "vigil_visits_total"));
            assertEquals(3, value(text, "vigil_alerts_decided_total", "type", "unknown_face"));
            assertEquals(1, value(text, "vigil_alerts_decided_total", "type", "known_person"));
            assertEquals(6, receiver.requests().size());
            assertEquals(3, value(text, "vigil_deliveries_total", "channel", "webhook", "type", "unknown_face",
                    "outcome", "delivered"));
            assertEquals(1, value(text, "vigil_deliveries_total", "channel", "webhook", "type", "visit_update",
                    "outcome", "delivered"));
            assertEquals(6, value(text, "vigil_delivery_seconds_count", "channel", "webhook", "outcome", "delivered"));
            assertTrue(value(text, "vigil_delivery_seconds_sum", "channel", "webhook", "outcome", "delivered") > 0);
            assertTrue(value(text, "jvm_memory_used_bytes", "area", "heap", "id", "G1 Eden Space") > 0
                    || text.contains("jvm_memory_used_bytes{area=\"heap\""), "JVM meters");
            assertTrue(text.contains("process_uptime_seconds"));
            for (String name : new String[] {"Alice", "Bob", "alice", "bob"}) {
                assertTrue(text.lines().filter(l -> l.startsWith("vigil_")).noneMatch(l -> l.contains(name)),
                        "no person in a label: " + name);
            }
        }
    }

    @Test
    void aHealthCheckBoundInTheRegistryDecidesReadinessNotLiveness() throws Exception {
        AtomicReference<String> problem = new AtomicReference<>();
        AbstractHealthCheck circuit = readinessCheck("test-circuit", builder -> {
            if (problem.get() == null) {
                builder.up().message("closed");
            } else {
                builder.down().message(problem.get());
            }
        });
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.api.enabled", "true",
                "vigil.api.token", TOKEN), main -> main.bind("testCircuit", circuit))) {
            String base = vigil.httpUrl() + "/observe/health";
            assertEquals(200, get(base + "/ready").statusCode());
            assertEquals("UP", check(authorised(base + "/ready"), "test-circuit").get("status").asText());

            problem.set("circuit of channel automations open for 95 s");
            HttpResponse<String> ready = authorised(base + "/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode down = check(ready, "test-circuit");
            assertEquals("DOWN", down.get("status").asText());
            assertEquals("circuit of channel automations open for 95 s", down.get("message").asText(), ready.body());

            HttpResponse<String> live = authorised(base + "/live");
            assertEquals(200, live.statusCode(), "readiness problems do not restart the process: " + live.body());
            assertTrue(check(live, "context") != null);

            problem.set(null);
            assertEquals(200, get(base + "/ready").statusCode());
        }
    }

    @Test
    void anonymousCallersGetTheHealthStatusOnlyTheTokenGetsTheDetail() throws Exception {
        String secret = "AccessDeniedException: user 123456789012 is not authorized to call rekognition:SearchFacesByImage";
        AbstractHealthCheck failing = readinessCheck("test-failing", builder -> builder.down().message(secret)
                .error(new IllegalStateException(secret)).detail("account", "123456789012"));
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.api.enabled", "true",
                "vigil.api.token", TOKEN), main -> main.bind("testFailing", failing))) {
            String base = vigil.httpUrl() + "/observe/health";
            for (String anonymous : new String[] {base + "/ready", base + "/ready?exposureLevel=full&data=true&stackTrace=true",
                    base + "?exposureLevel=full", base + "/ready?exposureLevel=default"}) {
                HttpResponse<String> r = get(anonymous);
                assertEquals(503, r.statusCode(), "the status code still tells a probe: " + anonymous);
                assertEquals("DOWN", new ObjectMapper().readTree(r.body()).get("status").asText(), r.body());
                assertTrue(!r.body().contains("123456789012") && !r.body().contains("test-failing")
                        && !r.body().contains("checks"), "no detail for " + anonymous + ": " + r.body());
            }
            HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ready?exposureLevel=full"))
                    .header("Authorization", "Bearer not-the-token-0123456789").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(!wrong.body().contains("123456789012"), "a wrong token is anonymous: " + wrong.body());
            assertEquals(200, get(base + "/live").statusCode(), "liveness unaffected");

            HttpResponse<String> detail = authorised(base + "/ready?data=true&stackTrace=true");
            assertEquals(503, detail.statusCode());
            JsonNode check = check(detail, "test-failing");
            assertEquals(secret, check.get("message").asText(), detail.body());
            assertTrue(detail.body().contains("123456789012"), "details and error for the token: " + detail.body());
        }
    }

    /** A readiness-only check of group vigil whose result the test decides. */
    private static AbstractHealthCheck readinessCheck(String name, java.util.function.Consumer<HealthCheckResultBuilder> result) {
        return new AbstractHealthCheck("vigil", name) {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                result.accept(builder);
            }
        };
    }

    private static final String TOKEN = "observe-token-0123456789abcdef";

    private static HttpResponse<String> authorised(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode check(HttpResponse<String> response, String name) throws Exception {
        for (JsonNode c : new ObjectMapper().readTree(response.body()).get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + response.body());
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample in the Prometheus text format, found by name and (some of) its labels. */
    static double value(String text, String name, String... labels) {
        return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!l.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + name + " " + String.join(",", labels)
                        + " in:\n" + text.lines().filter(l -> l.startsWith("vigil_")).toList()));
    }
}
