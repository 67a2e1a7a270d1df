package dev.vigil.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Json;
import dev.vigil.history.HistoryStore;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history API (routes/52-api-history.camel.yaml) over real HTTP, on Vigil started as the CLI starts it
 * with no household file: the bundled sample day lands in the embedded history (synthetic faces), the
 * console channel's outcome is recorded per alert. Also keeps the served OpenAPI document true.
 */
class HistoryApiTest {

    static final String TOKEN = "history-token-0123456789";
    static RunningVigil vigil;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();
    static int sampleAlerts;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        int port = Moto.freePort();
        vigil = new RunningVigil(dir, Map.of("vigil.api.enabled", "true", "vigil.api.token", TOKEN,
                "vigil.sample.enabled", "true", "vigil.sample.delay-ms", "0", "vigil.console.enabled", "true",
                "vigil.http.port", Integer.toString(port), "vigil.history.max-page", "20"));
        base = "http://127.0.0.1:" + port;
        HistoryStore store = vigil.main().getCamelContext().getRegistry().lookupByNameAndType("historyStore",
                HistoryStore.class);
        // the sample day is replayed once at start: wait until its alerts and their outcomes are written
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count() > 0
                && get("/api/alerts?limit=20").path("alerts").get(0).path("deliveries").has("console"));
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofMillis(500)).until(() -> {
            long before = store.count();
            Thread.sleep(500);
            return store.count() == before;
        });
        sampleAlerts = (int) store.count();
    }

    @AfterAll
    static void stop() throws Exception {
        vigil.close();
    }

    @Test
    void theSampleDayIsInTheHistoryWithSyntheticFacesAndItsConsoleOutcome() throws Exception {
        assertTrue(sampleAlerts >= 3, "the sample day decides several alerts: " + sampleAlerts);
        JsonNode alerts = get("/api/alerts?limit=20").path("alerts");
        JsonNode withFace = null;
        for (JsonNode a : alerts) {
            assertEquals("delivered", a.path("deliveries").path("console").path("outcome").asText(), a.toString());
            if (a.path("replayed").asBoolean() && a.path("face").asBoolean()) {
                withFace = a;
            }
        }
        assertNotNull(withFace, "sample alerts carry a generated face");
        HttpResponse<byte[]> face = bytes(withFace.path("links").path("face").asText());
        assertEquals(200, face.statusCode());
        assertEquals("image/jpeg", face.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(face.body()));
        assertEquals(240, image.getWidth(), "the synthetic cartoon face, not a photo");
        HttpResponse<byte[]> snapshot = bytes(withFace.path("links").path("snapshot").asText());
        assertEquals(200, snapshot.statusCode());
        assertEquals(640, ImageIO.read(new ByteArrayInputStream(snapshot.body())).getWidth());

        JsonNode one = get("/api/alerts/" + withFace.path("id").asText());
        assertEquals(withFace.path("id").asText(), one.path("id").asText());
        assertTrue(one.path("visit").path("frames").asInt() >= 1);
        assertFalse(one.path("visit").path("cameras").isEmpty());
        assertTrue(one.path("observedAt").asText().endsWith("Z"));
    }

    @Test
    void everyRequestNeedsTheToken() throws Exception {
        String id = get("/api/alerts?limit=1").path("alerts").get(0).path("id").asText();
        for (String path : List.of("/api/alerts", "/api/alerts/" + id, "/api/alerts/" + id + "/face.jpg",
                "/api/alerts/" + id + "/snapshot.jpg", "/api/alerts?type=bogus")) {
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode(), path);
            assertTrue(none.body().contains("missing bearer token"), none.body());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + TOKEN + "x").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode(), path);
        }
    }

    @Test
    void pagesNewestFirstThroughEveryAlert() throws Exception {
        List<String> ids = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = get("/api/alerts?limit=2" + (next == null ? "" : "&cursor=" + enc(next)));
            for (JsonNode a : page.path("alerts")) {
                ids.add(a.path("id").asText());
                times.add(Instant.parse(a.path("observedAt").asText()));
            }
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (next != null && pages < 100);
        assertEquals(vigil.main().getCamelContext().getRegistry().lookupByNameAndType("historyStore",
                HistoryStore.class).count(), ids.size());
        assertEquals(ids.size(), new HashSet<>(ids).size(), "no alert twice");
        for (int i = 1; i < times.size(); i++) {
            assertFalse(times.get(i).isAfter(times.get(i - 1)), "newest first");
        }
    }

    @Test
    void filtersByTypeCameraPersonSeverityAndTime() throws Exception {
        JsonNode all = get("/api/alerts?limit=20").path("alerts");
        JsonNode first = all.get(0);
        for (String filter : List.of("type", "camera", "severity")) {
            String value = first.path(filter).asText();
            JsonNode found = get("/api/alerts?limit=20&" + filter + "=" + enc(value)).path("alerts");
            assertFalse(found.isEmpty(), filter);
            found.forEach(a -> assertEquals(value, a.path(filter).asText(), filter));
        }
        for (JsonNode a : all) {
            if (a.hasNonNull("person")) {
                String person = a.path("person").asText();
                get("/api/alerts?person=" + enc(person)).path("alerts")
                        .forEach(b -> assertEquals(person, b.path("person").asText()));
            }
        }
        Instant at = Instant.parse(first.path("observedAt").asText());
        JsonNode since = get("/api/alerts?limit=20&since=" + at).path("alerts");
        since.forEach(a -> assertFalse(Instant.parse(a.path("observedAt").asText()).isBefore(at)));
        JsonNode until = get("/api/alerts?limit=20&until=" + at).path("alerts");
        until.forEach(a -> assertTrue(Instant.parse(a.path("observedAt").asText()).isBefore(at)));
        assertEquals(all.size(), since.size() + until.size());
    }

    @Test
    void badFiltersAndLimitsAre400WithAJsonError() throws Exception {
        Map<String, String> bad = Map.of(
                "/api/alerts?type=bogus", "type",
                "/api/alerts?severity=loud", "severity",
                "/api/alerts?since=yesterday", "since",
                "/api/alerts?until=2026-13-45", "until",
                "/api/alerts?limit=21", "limit",
                "/api/alerts?limit=0", "limit",
                "/api/alerts?limit=many", "limit",
                "/api/alerts?cursor=not-a-cursor!", "cursor");
        for (var e : bad.entrySet()) {
            HttpResponse<String> r = send(e.getKey());
            assertEquals(400, r.statusCode(), e.getKey() + " " + r.body());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(Json.mapper().readTree(r.body()).path("error").asText().startsWith(e.getValue()), r.body());
        }
    }

    @Test
    void unknownAlertsAndMissingImagesAre404() throws Exception {
        assertEquals(404, send("/api/alerts/no-such-alert").statusCode());
        assertEquals(404, send("/api/alerts/no-such-alert/face.jpg").statusCode());
        assertEquals(404, send("/api/alerts/no-such-alert/snapshot.jpg").statusCode());
        assertTrue(Json.mapper().readTree(send("/api/alerts/no-such-alert").body()).path("error").asText()
                .contains("no alert with id"));

        // an alert handed straight to the channels: recorded, but no frame was fetched for it
        Alert bare = new Alert(Alert.VERSION, "bare-alert-1", AlertType.UNKNOWN_FACE, Severity.WARNING, "test",
                new Alert.Camera("front-door", "Front door", "porch"), null,
                new Alert.Visit("v1", Instant.parse("2026-11-20T08:00:00Z"), Instant.parse("2026-11-20T08:00:02Z"), 2),
                Instant.parse("2026-11-20T08:00:02Z"), Instant.parse("2026-11-20T08:15:02Z"), false, false, null, null);
        vigil.deliver(bare);
        await().atMost(Duration.ofSeconds(10)).until(() -> send("/api/alerts/bare-alert-1").statusCode() == 200);
        assertEquals(404, send("/api/alerts/bare-alert-1/face.jpg").statusCode());
        assertEquals(404, send("/api/alerts/bare-alert-1/snapshot.jpg").statusCode());
        assertNull(get("/api/alerts/bare-alert-1").path("links").get("face"));
    }

    @Test
    void theServedOpenApiDocumentDescribesExactlyWhatTheServerAnswers() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/openapi.json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        JsonNode doc = Json.mapper().readTree(r.body());
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
        }
        PlatformHttpComponent server = vigil.main().getCamelContext().getComponent("platform-http",
                PlatformHttpComponent.class);
        Set<String> served = new TreeSet<>();
        for (HttpEndpointModel e : server.getHttpEndpoints()) {
            if (e.getUri().startsWith("/api/") && !e.getUri().equals("/api/openapi.json")) {
                for (String verb : e.getVerbs().split(",")) {
                    served.add(verb.trim().toUpperCase() + " " + e.getUri());
                }
            }
        }
        // the server's list keeps one entry per path: a second verb on a path (POST /api/people beside GET)
        // shows in the consumers of the running routes
        for (org.apache.camel.Route route : vigil.main().getCamelContext().getRoutes()) {
            if (route.getConsumer() != null && vigil.main().getCamelContext().getRouteController()
                    .getRouteStatus(route.getId()).isStarted() && route.getConsumer().getEndpoint()
                    instanceof org.apache.camel.component.platform.http.PlatformHttpEndpoint e
                    && e.getPath().startsWith("/api/") && !e.getPath().equals("/api/openapi.json")
                    && e.getHttpMethodRestrict() != null) {
                for (String verb : e.getHttpMethodRestrict().split(",")) {
                    served.add(verb.trim().toUpperCase() + " " + e.getPath());
                }
            }
        }
        assertTrue(served.contains("GET /api/alerts/{id}/face.jpg"), served.toString());
        assertTrue(served.contains("POST /api/people/{id}/faces"), served.toString());
        assertEquals(served, documented);
        JsonNode list = doc.path("paths").path("/api/alerts").path("get");
        Set<String> params = new HashSet<>();
        list.path("parameters").forEach(p -> params.add(p.path("name").asText()));
        assertEquals(Set.of("camera", "person", "type", "severity", "since", "until", "cursor", "limit"), params);
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send(path);
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }

    static HttpResponse<String> send(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> bytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
