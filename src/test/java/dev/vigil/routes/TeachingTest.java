package dev.vigil.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.faces.FaceCrop;
import dev.vigil.faces.Photo;
import dev.vigil.history.AlertRecord;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.ImageKind;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Face;
import dev.vigil.model.Severity;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.KvsFake;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RekognitionFake;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.awt.Color;
import java.awt.Rectangle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;

/**
 * Teaching end to end (docs/teaching.md): live unknown alerts through the real routes keep their deciding
 * frame's face crop (one GetImages call on the Kinesis Video fake, snapshots off), are looked up in and added
 * to the strangers collection (Rekognition fake), and are taught over the real HTTP API.
 */
class TeachingTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String STREAM = "front-door-cam";
    static final String STRANGERS = "vigil-household-strangers";
    static final Face.BoundingBox BOX = new Face.BoundingBox(0.4, 0.3, 0.2, 0.3);
    static final ObjectMapper JSON = new ObjectMapper();
    static KvsFake kvs;
    static RekognitionFake rekognition;
    static WebhookReceiver home;
    static RunningVigil vigil;
    static HistoryStore history;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        kvs = KvsFake.start();
        rekognition = new RekognitionFake();
        home = new WebhookReceiver(SECRET);
        Path secret = Fixtures.write(dir.resolve("secret"), SECRET);
        Path household = Fixtures.exampleHouseholdWith(dir, """
                channels:
                  webhooks:
                    - name: home
                      url: %s
                      secretFile: %s
                """.formatted(home.url(), secret));
        int port = Moto.freePort();
        vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.config", household.toString(),
                "vigil.api.enabled", "true", "vigil.api.token", TOKEN, "vigil.http.port", Integer.toString(port),
                "vigil.aws.endpoints.kinesisvideo", kvs.url(), "vigil.aws.endpoints.rekognition", rekognition.endpoint(),
                "vigil.aws.region", "us-east-1"));
        history = vigil.main().getCamelContext().getRegistry().findSingleByType(HistoryStore.class);
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() throws Exception {
        vigil.close();
        home.close();
        rekognition.close();
        kvs.close();
    }

    @BeforeEach
    void fresh() {
        rekognition.reset();
        rekognition.createCollection("vigil-household"); // as vigil provision leaves them
        rekognition.createCollection(STRANGERS);
        kvs.reset();
    }

    // ---- helpers

    static int frames;

    /** A distinct frame (its own background) showing a face patch where BOX says. */
    static byte[] frame() {
        frames++;
        return KvsFake.jpeg(640, 360, new Color(30 + frames * 7 % 120, 60, 80), new Rectangle(256, 108, 128, 108),
                new Color(220, 180, 150));
    }

    /** The crop Vigil cuts out of a frame (the same code), for telling the fake which crops show one face. */
    static byte[] crop(byte[] frame) {
        return FaceCrop.crop(Photo.check("frame", frame), BoundingBox.builder().left(0.4f).top(0.3f).width(0.2f)
                .height(0.3f).build(), 1).bytes();
    }

    static Alert alert(AlertType type, Instant at, Alert.Person person) {
        return new Alert(Alert.VERSION, UUID.randomUUID().toString(), type, Severity.WARNING,
                "usable face with no match in the collection", new Alert.Camera("front-door", "Front door", "Porch"),
                person, new Alert.Visit("v-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), at.minusSeconds(3), at, 3),
                at, Instant.now().plusSeconds(3600), false, false,
                Alert.FaceSummary.of(new Face(BOX, 99.9, 60, 80, 5, 3, 1)),
                new Alert.SourceRef("rekognition-stream-processor",
                        "arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door-cam/1700000000000",
                        "91343852333181467302591170480509604486953280253", at.minusSeconds(1)));
    }

    /**
     * A live unknown face at {@code at}, its frame in Kinesis Video, delivered through the real routes; returns
     * once the history (written in the background) holds it.
     */
    static Alert stranger(Instant at, byte[] frame) {
        kvs.frame(STREAM, at.minusMillis(40), frame);
        Alert a = alert(AlertType.UNKNOWN_FACE, at, null);
        vigil.deliver(a);
        recorded(a);
        return a;
    }

    static void recorded(Alert a) {
        await().atMost(Duration.ofSeconds(10)).until(() -> history.get(a.id()).isPresent());
    }

    static JsonNode delivered(String alertId) {
        return home.requests().stream().map(WebhookReceiver.Request::json)
                .filter(j -> j.get("id").asText().equals(alertId)).findFirst().orElseThrow();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static Instant now() {
        return Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- tests

    @Test
    void aReturningStrangerIsRecognisedAndTeachingMovesAllItsFacesToThePerson() throws Exception {
        Instant t = now();
        byte[] f1 = frame();
        byte[] f2 = frame();
        byte[] f3 = frame();
        rekognition.sameFace("stranger-1", crop(f1), crop(f2), crop(f3));

        Alert first = stranger(t.minusSeconds(20), f1);
        Alert second = stranger(t.minusSeconds(10), f2);
        Alert third = stranger(t, f3);

        assertEquals(3, kvs.requests("/getImages").size(), "one GetImages call per alert, snapshots off");
        assertFalse(delivered(first.id()).has("recurrence"), "a first visit says nothing");
        JsonNode r = delivered(third.id());
        assertEquals(3, r.at("/recurrence/count").asInt(), r.toString());
        assertEquals(List.of(first.id(), second.id()), JSON.convertValue(r.at("/recurrence/alertIds"), List.class));
        assertEquals(first.observedAt(), Instant.parse(r.at("/recurrence/firstSeen").asText()));
        assertTrue(r.get("reason").asText().contains("seen 3 times in the last 7 days, first on "), r.toString());
        assertEquals(2, delivered(second.id()).at("/recurrence/count").asInt());
        var schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                .getSchema(JSON.readTree(Path.of("docs/alert-v1.schema.json").toFile()));
        assertEquals(java.util.Set.of(), schema.validate(r), "still Alert v1");

        List<String> ops = rekognition.operations();
        assertEquals("SearchFacesByImage " + STRANGERS, ops.get(0), "a new unknown face is searched first: " + ops);
        assertEquals(List.of(first.id(), second.id(), third.id()), rekognition.requests("IndexFaces").stream()
                .filter(j -> j.get("CollectionId").asText().equals(STRANGERS))
                .map(j -> j.get("ExternalImageId").asText()).toList(), "indexed by alert id");
        assertEquals(3, rekognition.faces(STRANGERS).size());
        await().atMost(Duration.ofSeconds(10)).until(() -> history.image(third.id(), ImageKind.FACE).isPresent());

        // dora is in neither the household file nor added yet
        HttpResponse<String> refused = post("/api/alerts/" + third.id() + "/teach", "{\"person\": \"dora\"}");
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(json(refused).get("error").asText().contains("POST /api/people"), refused.body());

        HttpResponse<String> added = post("/api/people", "{\"id\": \"dora\", \"name\": \"Dora\"}");
        assertEquals(201, added.statusCode(), added.body());
        assertEquals(409, post("/api/people", "{\"id\": \"alice\"}").statusCode(), "the household lists alice");

        HttpResponse<String> taught = post("/api/alerts/" + third.id() + "/teach", "{\"person\": \"dora\"}");
        assertEquals(201, taught.statusCode(), taught.body());
        assertEquals(List.of(first.id(), second.id()).stream().sorted().toList(),
                JSON.convertValue(json(taught).get("strangerAlerts"), List.class).stream().sorted().toList());
        List<JsonNode> indexed = rekognition.requests("IndexFaces").stream()
                .filter(j -> j.get("CollectionId").asText().equals("vigil-household")).toList();
        assertEquals(3, indexed.size(), "each stored crop of the stranger is enrolled");
        indexed.forEach(j -> assertEquals("dora", j.get("ExternalImageId").asText()));
        indexed.forEach(j -> assertEquals(1, j.get("MaxFaces").asInt()));
        assertEquals(3, rekognition.faces("vigil-household").stream().filter(f -> "dora".equals(f.externalImageId()))
                .count());
        assertEquals(1, rekognition.requests("DeleteFaces").size());
        assertEquals(STRANGERS, rekognition.requests("DeleteFaces").get(0).get("CollectionId").asText());
        assertTrue(rekognition.faces(STRANGERS).isEmpty(), "the stranger is gone from the strangers");
        assertEquals("taught", history.get(third.id()).orElseThrow().marks().get(0).kind().wire());

        HttpResponse<String> again = post("/api/alerts/" + third.id() + "/teach", "{\"person\": \"dora\"}");
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(json(again).get("alreadyTaught").asBoolean());
        assertEquals(409, post("/api/alerts/" + third.id() + "/teach", "{\"person\": \"bob\"}").statusCode());

        JsonNode dora = person("dora");
        assertTrue(dora.get("runtimeAdded").asBoolean());
        assertEquals(3, dora.get("faces").asInt());
    }

    static JsonNode person(String id) throws Exception {
        for (JsonNode p : json(get("/api/people")).get("people")) {
            if (p.get("id").asText().equals(id)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void concurrentTeachOfOneAlertHappensOnce() throws Exception {
        byte[] f = frame();
        Alert a = stranger(now(), f);
        HttpResponse<String> added = post("/api/people", "{\"id\": \"erin\", \"name\": \"Erin\"}");
        assertEquals(201, added.statusCode(), added.body());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<HttpResponse<String>> teach = () -> post("/api/alerts/" + a.id() + "/teach", "{\"person\": \"erin\"}");
            answers.add(pool.submit(teach));
        }
        List<Integer> codes = new ArrayList<>();
        for (Future<HttpResponse<String>> f2 : answers) {
            codes.add(f2.get().statusCode());
        }
        pool.shutdown();
        assertEquals(1, codes.stream().filter(c -> c == 201).count(), codes.toString());
        assertEquals(7, codes.stream().filter(c -> c == 200).count(), codes.toString());
        assertEquals(1, rekognition.requests("IndexFaces").stream()
                .filter(j -> j.get("CollectionId").asText().equals("vigil-household")).count(), "enrolled once");
        assertEquals(1, rekognition.faces("vigil-household").size());
        assertEquals(1, history.get(a.id()).orElseThrow().marks().size());
    }

    @Test
    void teachingRefusesUnknownAlertsAlertsWithoutAFaceAndBadBodies() throws Exception {
        assertEquals(404, post("/api/alerts/no-such-alert/teach", "{\"person\": \"alice\"}").statusCode());
        assertEquals(404, post("/api/alerts/no-such-alert/not", "{\"person\": \"alice\"}").statusCode());

        // a frame Kinesis Video does not have: the alert is delivered, but no crop is stored
        Alert noFrame = alert(AlertType.UNKNOWN_FACE, now(), null);
        vigil.deliver(noFrame);
        recorded(noFrame);
        HttpResponse<String> r = post("/api/alerts/" + noFrame.id() + "/teach", "{\"person\": \"alice\"}");
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("could not be fetched"), r.body());
        assertTrue(home.requests().stream().anyMatch(q -> q.json().get("id").asText().equals(noFrame.id())),
                "the alert itself went out");

        Alert motion = alert(AlertType.UNIDENTIFIABLE_FACE, now(), null);
        history.record(AlertRecord.of(motion, Instant.now()));
        HttpResponse<String> poor = post("/api/alerts/" + motion.id() + "/teach", "{\"person\": \"alice\"}");
        assertEquals(422, poor.statusCode(), poor.body());
        assertTrue(json(poor).get("error").asText().contains("quality gates"), poor.body());

        assertEquals(400, post("/api/alerts/" + noFrame.id() + "/teach", "not json").statusCode());
        assertEquals(400, post("/api/alerts/" + noFrame.id() + "/teach", "{\"name\": \"alice\"}").statusCode());
        assertEquals(400, post("/api/alerts/" + noFrame.id() + "/teach", "{\"person\": \"al ice\"}").statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + "/api/alerts/" + noFrame.id() + "/teach"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"person\": \"alice\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertTrue(rekognition.requests("IndexFaces").isEmpty(), "nothing refused was enrolled");
    }

    @Test
    void notAMatchRaisesThatPersonsThresholdOnThatCameraAndIsReported() throws Exception {
        Alert known = alert(AlertType.KNOWN_PERSON, now(), new Alert.Person("bob", "Bob", 91.0, "f-bob"));
        history.record(AlertRecord.of(known, Instant.now()));

        HttpResponse<String> wrongPerson = post("/api/alerts/" + known.id() + "/not", "{\"person\": \"alice\"}");
        assertEquals(400, wrongPerson.statusCode(), "the alert does not name alice");
        HttpResponse<String> r = post("/api/alerts/" + known.id() + "/not", "{\"person\": \"bob\"}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(1, json(r).get("falseMatches").asInt());
        assertEquals(90.0, json(r).get("thresholdBefore").asDouble());
        assertEquals(92.0, json(r).get("matchThreshold").asDouble());
        assertEquals(200, post("/api/alerts/" + known.id() + "/not", "{\"person\": \"bob\"}").statusCode(),
                "said twice, counted once");

        JsonNode bob = person("bob").get("falseMatches");
        assertEquals(1, bob.get("count").asInt());
        assertEquals(1, bob.get("alertsNaming").asInt());
        assertEquals(1.0, bob.get("rate").asDouble());
        assertEquals("front-door", bob.at("/corrections/0/camera").asText());
        assertEquals(92.0, bob.at("/corrections/0/matchThreshold").asDouble());
        assertEquals(known.id(), bob.at("/recent/0/alertId").asText());
    }
}
