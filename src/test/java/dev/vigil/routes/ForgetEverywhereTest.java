package dev.vigil.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.history.AlertRecord;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.ImageKind;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.teach.FalseMatches;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.KvsFake;
import dev.vigil.testing.Moto;
import dev.vigil.testing.Photos;
import dev.vigil.testing.RekognitionFake;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DELETE /api/people/{id} erases a person everywhere Vigil keeps a face or a name of theirs. The places are
 * listed once ({@link #everyPlaceDoraCanLive}); each is shown to hold Dora before and to be empty after.
 */
class ForgetEverywhereTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String STRANGERS = "vigil-household-strangers";
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    String base;
    RekognitionFake rekognition;
    HistoryStore history;
    FalseMatches falseMatches;
    Path dataDir;

    HttpResponse<String> send(String method, String path, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN);
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return send("POST", path, "application/json", json.getBytes());
    }

    /** Every place a face or the name of Dora can live, and whether it holds something of her now. */
    Map<String, Boolean> everyPlaceDoraCanLive(List<Alert> alerts, String snapshotUrl) throws Exception {
        Map<String, Boolean> places = new java.util.LinkedHashMap<>();
        places.put("household collection faces", rekognition.faces("vigil-household").stream()
                .anyMatch(f -> "dora".equals(f.externalImageId())));
        Set<String> ids = Set.copyOf(alerts.stream().map(Alert::id).toList());
        places.put("strangers collection faces of alerts taught as her", rekognition.faces(STRANGERS).stream()
                .anyMatch(f -> ids.contains(f.externalImageId())));
        places.put("alert records naming her", !history.alertIdsNaming("dora").isEmpty()
                || alerts.stream().map(a -> history.get(a.id())).flatMap(java.util.Optional::stream)
                .anyMatch(r -> "Dora".equals(r.personName())));
        places.put("marks naming her", !history.alertIdsMarking("dora").isEmpty());
        places.put("history face crops and snapshots", alerts.stream().anyMatch(a ->
                history.image(a.id(), ImageKind.FACE).isPresent() || history.image(a.id(), ImageKind.SNAPSHOT).isPresent()));
        places.put("snapshot URL", http.send(HttpRequest.newBuilder(URI.create(snapshotUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        places.put("history API filtered by her", json(send("GET", "/api/alerts?person=dora", null, null))
                .get("alerts").size() > 0);
        places.put("runtime person entry", history.people().stream().anyMatch(p -> p.id().equals("dora")));
        places.put("false-match counters", falseMatches.knows("dora"));
        places.put("people list", json(send("GET", "/api/people", null, null)).get("people").findValuesAsText("id")
                .contains("dora"));
        return places;
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void forgettingDoraEmptiesEveryPlaceAndWritesOneAuditRecord(@TempDir Path dir) throws Exception {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        int port = Moto.freePort();
        base = "http://127.0.0.1:" + port;
        dataDir = dir.resolve("data");
        try (KvsFake kvs = KvsFake.start(); WebhookReceiver home = new WebhookReceiver(SECRET)) {
            rekognition = new RekognitionFake();
            rekognition.createCollection("vigil-household");
            rekognition.createCollection(STRANGERS);
            Path secret = Fixtures.write(dir.resolve("secret"), SECRET);
            Path household = Fixtures.exampleHouseholdWith(dir, """
                    channels:
                      webhooks:
                        - {name: home, url: %s, secretFile: %s}
                    """.formatted(home.url(), secret));
            try (RunningVigil vigil = new RunningVigil(dataDir, Map.ofEntries(
                    Map.entry("vigil.config", household.toString()), Map.entry("vigil.api.enabled", "true"),
                    Map.entry("vigil.api.token", TOKEN), Map.entry("vigil.http.port", Integer.toString(port)),
                    Map.entry("vigil.snapshot.enabled", "true"), Map.entry("vigil.snapshot.budget", "10s"),
                    Map.entry("vigil.snapshot.public-url", base),
                    Map.entry("vigil.snapshot.signing-key", "test-signing-key-0123456789"),
                    Map.entry("vigil.aws.endpoints.kinesisvideo", kvs.url()),
                    Map.entry("vigil.aws.endpoints.rekognition", rekognition.endpoint()),
                    Map.entry("vigil.aws.region", "us-east-1")))) {
                history = vigil.main().getCamelContext().getRegistry().findSingleByType(HistoryStore.class);
                falseMatches = vigil.main().getCamelContext().getRegistry().findSingleByType(FalseMatches.class);

                // Dora: added at runtime, enrolled from a photo, taught from a stranger, named by two alerts,
                // one of them "not Dora"
                assertEquals(201, post("/api/people", "{\"id\": \"dora\", \"name\": \"Dora\"}").statusCode());
                assertEquals(201, send("POST", "/api/people/dora/faces", "image/jpeg", Photos.jpeg(200, 200))
                        .statusCode());
                Instant t = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                Alert stranger = live(vigil, kvs, TeachingTest.alert(AlertType.UNKNOWN_FACE, t, null), 1);
                assertEquals(201, post("/api/alerts/" + stranger.id() + "/teach", "{\"person\": \"dora\"}").statusCode());
                rekognition.seedFace(STRANGERS, stranger.id(), null); // an entry the move left behind
                Alert named = live(vigil, kvs, TeachingTest.alert(AlertType.KNOWN_PERSON, t.plusSeconds(10),
                        new Alert.Person("dora", "Dora", 97.0, "f-dora")), 2);
                Alert wrong = live(vigil, kvs, TeachingTest.alert(AlertType.KNOWN_PERSON, t.plusSeconds(20),
                        new Alert.Person("dora", "Dora", 91.0, "f-dora")), 3);
                assertEquals(201, post("/api/alerts/" + wrong.id() + "/not", "{\"person\": \"dora\"}").statusCode());
                String snapshotUrl = home.requests().stream().map(WebhookReceiver.Request::json)
                        .filter(j -> j.get("id").asText().equals(named.id())).findFirst().orElseThrow()
                        .at("/snapshot/url").asText();
                List<Alert> alerts = List.of(stranger, named, wrong);
                await().atMost(Duration.ofSeconds(10)).until(() -> history.image(wrong.id(), ImageKind.FACE).isPresent());

                Map<String, Boolean> before = everyPlaceDoraCanLive(alerts, snapshotUrl);
                assertFalse(before.containsValue(false), "the test puts Dora in every place first: " + before);
                long auditBefore = Files.readAllLines(dataDir.resolve("audit/faces.jsonl")).size();

                HttpResponse<String> forgot = send("DELETE", "/api/people/dora", null, null);
                assertEquals(200, forgot.statusCode(), forgot.body());

                Map<String, Boolean> after = everyPlaceDoraCanLive(alerts, snapshotUrl);
                assertFalse(after.containsValue(true), "every place is empty: " + after);
                for (Alert a : List.of(named, wrong)) {
                    AlertRecord r = history.get(a.id()).orElseThrow();
                    assertEquals(AlertRecord.FORGOTTEN, r.person());
                    assertEquals(AlertRecord.FORGOTTEN, r.personName());
                }
                assertEquals(AlertRecord.FORGOTTEN, history.get(stranger.id()).orElseThrow().marks().get(0).person());

                List<String> audit = Files.readAllLines(dataDir.resolve("audit/faces.jsonl"));
                assertEquals(auditBefore + 1, audit.size(), "one audit record");
                JsonNode record = JSON.readTree(audit.get(audit.size() - 1));
                assertEquals("forget-everywhere", record.get("action").asText());
                assertTrue(record.get("requestedBy").asText().startsWith("api 127.0.0.1"), record.toString());
                assertTrue(record.has("time"));
                assertEquals(2, record.get("collectionFaces").asInt(), "the enrolled photo and the taught crop");
                assertEquals(1, record.get("strangerFaces").asInt());
                assertEquals(2, record.get("alertRecords").asInt());
                assertEquals(2, record.get("marks").asInt());
                assertEquals(1, record.get("runtimePerson").asInt());
                assertEquals(1, record.get("falseMatches").asInt());
                assertEquals(3, record.get("snapshotUrls").asInt(), "the three alerts' snapshots");
                assertTrue(record.get("historyImages").asInt() >= 4, record.toString());

                assertEquals(404, send("DELETE", "/api/people/dora", null, null).statusCode(), "nothing left");
            } finally {
                rekognition.close();
            }
        }
    }

    /** A live alert through the real routes, its frame in Kinesis Video; returns once the history holds it. */
    private Alert live(RunningVigil vigil, KvsFake kvs, Alert a, int n) {
        kvs.frame(TeachingTest.STREAM, a.observedAt().minusMillis(40), KvsFake.jpeg(640, 360,
                new java.awt.Color(20 * n, 60, 80), new java.awt.Rectangle(256, 108, 128, 108),
                new java.awt.Color(220, 180, 150)));
        vigil.deliver(a);
        await().atMost(Duration.ofSeconds(10)).until(() -> history.get(a.id()).isPresent());
        return a;
    }
}
