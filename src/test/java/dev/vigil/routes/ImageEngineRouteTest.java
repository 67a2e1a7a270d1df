package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.ImageFakes;
import dev.vigil.testing.KvsFake;
import dev.vigil.testing.ImageSearchFake;
import dev.vigil.testing.ImageSearchFake.FaceSpec;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Scenes;
import dev.vigil.testing.WebhookReceiver;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/14-ingest-image-engine.camel.yaml end to end: Vigil started as the CLI starts it, the image engine
 * sampling the KVS fake's real JPEG frames on the wall clock, Rekognition's fake reading the pixels, alerts
 * at a real webhook receiver; the same alert as the stream-processor path; budgets; the trigger endpoint.
 */
class ImageEngineRouteTest {

    static final String SECRET = "image-engine-secret-0123456789";
    static final String TOKEN = "trigger-token-0123456789abcdef";
    static final String STREAM = "porch-cam";
    @org.junit.jupiter.api.extension.RegisterExtension
    static final ImageFakes FAKES = new ImageFakes(new ImageSearchFake().face(FaceSpec.stranger(Scenes.STRANGER))
                .face(FaceSpec.known(Scenes.ALICE, "alice", 99.4)));
    static final KvsFake kvs = FAKES.kvs;
    static final ImageSearchFake rekognition = FAKES.rekognition;
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aStrangerAtTheDoorAlertsExactlyAsTheStreamProcessorRecordOfTheSameFramesDoes() throws Exception {
        Instant motionAt = scene(Scenes.STRANGER);
        JsonNode image;
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir.resolve("a"), overrides(receiver, "", Map.of()))) {
            await(() -> !receiver.requests().isEmpty(), 20_000);
            image = receiver.requests().get(0).json();
            // teaching (docs/teaching.md): the unknown face was searched among the strangers, then added there
            String id = image.get("id").asText();
            await(() -> rekognition.strangerAlertIds().contains(id), 10_000);
            List<String> ops = rekognition.strangerCalls().stream().map(ImageSearchFake.Call::operation)
                    .filter(op -> !op.equals("ListFaces")).toList();
            assertEquals(List.of("SearchFacesByImage", "IndexFaces"), ops.subList(0, 2), ops.toString());
        }
        rekognition.forgetStrangers(); // the stream processor's run below is a first visit too
        assertEquals("unknown_face", image.get("type").asText());
        assertEquals("rekognition-image", image.at("/source/engine").asText());
        assertTrue(Instant.parse(image.get("observedAt").asText()).isAfter(motionAt.minusMillis(1)));
        assertTrue(rekognition.calls("DetectFaces").size() >= 2, "Rekognition was called only once motion started");
        assertSchema(image);

        // the stream processor's records of the same two frames, with the same detection
        JsonNode face = image.get("face");
        List<String> records = List.of(record(image.at("/visit/firstSeen").asText(), face, "1"),
                record(image.get("observedAt").asText(), face, "2"));
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir.resolve("b"), overrides(receiver, "",
                     Map.of("vigil.image.enabled", "false")))) {
            records.forEach(r -> vigil.liveRecord(r, "kinesis#" + r.hashCode()));
            await(() -> !receiver.requests().isEmpty(), 10_000);
            JsonNode streamed = receiver.requests().get(0).json();
            assertEquals("rekognition-stream-processor", streamed.at("/source/engine").asText());
            for (String field : List.of("type", "severity", "reason", "camera", "person", "observedAt", "expiresAt",
                    "stale", "replayed", "face")) {
                assertEquals(streamed.get(field), image.get(field), field);
            }
            for (String field : List.of("firstSeen", "lastSeen", "frames")) {
                assertEquals(streamed.get("visit").get(field), image.get("visit").get(field), "visit." + field);
            }
            assertNotEquals(streamed.get("id"), image.get("id"), "ids hash the fragment number, which GetImages lacks");
        }
    }

    @Test
    void rekognitionThrottlingBeyondTheSdkRetriesDelaysTheAlertLosesNothingAndIsCounted() throws Exception {
        int throttles = 5; // more than the SDK's 3 attempts: the frame waits for the next poll
        rekognition.throttle("SearchFacesByImage", throttles, "ThrottlingException");
        Instant motionAt = scene(Scenes.STRANGER);
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir, overrides(receiver, "", Map.of("vigil.aws.retry.max-attempts", "3",
                     "vigil.aws.retry.base-delay", "10ms", "vigil.aws.retry.throttling-base-delay", "20ms",
                     "vigil.aws.retry.max-backoff", "100ms")))) {
            await(() -> !receiver.requests().isEmpty(), 30_000);
            long drained = java.time.Duration.between(motionAt, Instant.now()).toMillis();
            JsonNode alert = receiver.requests().get(0).json();
            assertEquals("unknown_face", alert.get("type").asText());
            var metrics = vigil.main().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry",
                    io.micrometer.core.instrument.MeterRegistry.class);
            assertEquals(throttles, rekognition.throttledCalls("SearchFacesByImage"));
            assertEquals(throttles, metrics.get("vigil.aws.throttled").tag("service", "Rekognition")
                    .tag("operation", "SearchFacesByImage").counter().count(), "each throttled attempt counted once");
            double late = metrics.get("vigil.image.frames").tag("result", "searched_late").counter().count();
            assertTrue(late >= 1, "the throttled frame was searched at a later poll");
            assertEquals(0, metrics.find("vigil.image.frames").tag("result", "dropped").counters().size(), "none dropped");
            System.out.printf("FAULT Rekognition throttling (%d x SearchFacesByImage ThrottlingException): 1 alert, "
                    + "delivered %d, lost 0, %.0f frame(s) searched at a later poll, counted %.0f throttled; alert %d ms "
                    + "after the motion began%n", throttles, receiver.requests().size(), late, metrics.get(
                    "vigil.aws.throttled").tag("operation", "SearchFacesByImage").counter().count(), drained);
        }
    }

    @Test
    void aSpentBudgetSaysSoOnceThenReportsMotionWithoutIdentity() throws Exception {
        scene(Scenes.ALICE);
        String household = """
                  - id: porch
                    name: Porch
                    kvsStream: porch-cam
                    engine: image
                    image:
                      interval: 1s
                      dailyBudgetUsd: 0.004
                """;
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir, overrides(receiver, household, Map.of(
                     "vigil.image.budget.slow-at", "0.5", "vigil.image.detect-interval", "1s")))) {
            await(() -> types(receiver).contains("motion"), 25_000);
            dev.vigil.testing.Streams.holds(java.time.Duration.ofMillis(1500), () -> types(receiver).equals(
                    List.of("budget_reached", "budget_reached", "motion")), "two budget steps, then one motion alert, no more");
            assertEquals(4, rekognition.calls().size(), "2 frames of DetectFaces + 1 search, then none");
            for (WebhookReceiver.Request r : receiver.requests()) {
                assertSchema(r.json());
                assertTrue(r.signatureValid());
            }
            JsonNode spent = receiver.requests().get(1).json();
            assertTrue(spent.get("reason").asText().startsWith("This camera's daily Rekognition budget ($0.004) is spent"),
                    spent.get("reason").asText());
        }
    }

    @Test
    void theTriggerEndpointIsAnApiPathThatNeedsTheTokenAndStartsSamplingAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        kvs.stream(STREAM);
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir, overrides(receiver, "", Map.of("vigil.image.trigger.enabled", "true",
                     "vigil.api.token", TOKEN, "vigil.http.port", Integer.toString(port), "camel.server.host", "127.0.0.1",
                     "vigil.image.idle-poll", "10m")))) {
            await(() -> kvs.requests("/getImages").size() == 1, 10_000); // the first poll, then none for 10 minutes
            String url = "http://127.0.0.1:" + port + "/api/cameras/";
            assertEquals(401, post(url + "porch/trigger", null).statusCode());
            assertEquals(401, post(url + "porch/trigger", "Bearer not-the-token").statusCode());
            assertEquals(404, post(url + "garden/trigger", "Bearer " + TOKEN).statusCode());
            assertEquals(1, kvs.requests("/getImages").size(), "refused triggers sample nothing");
            HttpResponse<String> ok = post(url + "porch/trigger", "Bearer " + TOKEN);
            assertEquals(202, ok.statusCode());
            assertEquals("{\"camera\":\"porch\",\"sampling\":\"started\"}", ok.body());
            assertTrue(ok.headers().firstValue("Authorization").isEmpty());
            await(() -> kvs.requests("/getImages").size() >= 3, 5_000); // at once, then every second while active
            HttpResponse<String> doc = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/api/openapi.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(doc.body().contains("/api/cameras/{id}/trigger"), "documented with the other API paths");
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Still frames from 10 s ago to 3 s from now, then the face walks in for a minute (a cold Vigil start on a
     * loaded machine can take 15 s of it); returns when it appears.
     */
    private static Instant scene(java.awt.Color face) {
        Instant now = Instant.now();
        Instant motion = now.plusSeconds(3);
        for (int i = -20; i < 120; i++) {
            Instant t = now.plusMillis(500L * i);
            byte[] jpeg = t.isBefore(motion) ? Scenes.frame(i + 100)
                    : Scenes.frame(i + 100, Scenes.person(60 + 25 * (i % 16), face));
            kvs.frame(STREAM, t, jpeg);
        }
        return motion;
    }

    private Map<String, String> overrides(WebhookReceiver receiver, String cameraYaml, Map<String, String> more) {
        String cameras = cameraYaml.isEmpty() ? """
                  - id: porch
                    name: Porch
                    location: Front
                    kvsStream: porch-cam
                    engine: image
                """ : cameraYaml;
        Path household = Fixtures.write(dir.resolve("household.yaml"), "cameras:\n" + cameras
                + "people:\n  - id: alice\n    name: Alice\npolicy:\n  alertTtl: 36500d\n");
        Map<String, String> all = new HashMap<>(Map.of("vigil.config", household.toString(),
                "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET,
                "vigil.aws.endpoints.kinesisvideo", kvs.url(), "vigil.aws.endpoints.rekognition", rekognition.url(),
                "vigil.image.lag", "0s", "vigil.image.tick-ms", "100"));
        all.putAll(more);
        return all;
    }

    /** A stream-processor record of one frame with this face and no match, as Rekognition writes it. */
    private String record(String frameTime, JsonNode face, String fragment) {
        double seconds = Instant.parse(frameTime).toEpochMilli() / 1000.0;
        ObjectNode root = json.createObjectNode();
        ObjectNode video = root.putObject("InputInformation").putObject("KinesisVideo");
        video.put("StreamArn", "arn:aws:kinesisvideo:us-east-1:123456789012:stream/" + STREAM + "/1763000000000");
        video.put("FragmentNumber", "9134385233317179554332000004900033900311812576" + fragment);
        video.put("ServerTimestamp", seconds).put("ProducerTimestamp", seconds).put("FrameOffsetInSeconds", 0.0);
        root.putObject("StreamProcessorInformation").put("Status", "RUNNING");
        ObjectNode detected = root.putArray("FaceSearchResponse").addObject().putObject("DetectedFace");
        JsonNode box = face.get("boundingBox");
        detected.putObject("BoundingBox").put("Height", box.get("height").asDouble()).put("Width", box.get("width").asDouble())
                .put("Left", box.get("left").asDouble()).put("Top", box.get("top").asDouble());
        detected.put("Confidence", face.get("confidence").asDouble());
        detected.putArray("Landmarks");
        detected.putObject("Pose").put("Pitch", face.get("pitch").asDouble()).put("Roll", face.get("roll").asDouble())
                .put("Yaw", face.get("yaw").asDouble());
        detected.putObject("Quality").put("Brightness", face.get("brightness").asDouble())
                .put("Sharpness", face.get("sharpness").asDouble());
        ((ObjectNode) root.get("FaceSearchResponse").get(0)).putArray("MatchedFaces");
        return root.toString();
    }

    private void assertSchema(JsonNode alert) throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(json.readTree(Path.of("docs/alert-v1.schema.json").toFile()));
        var problems = schema.validate(alert);
        assertTrue(problems.isEmpty(), alert.get("type") + ": " + problems);
    }

    private static List<String> types(WebhookReceiver receiver) {
        return receiver.requests().stream().map(r -> r.json().get("type").asText().toLowerCase(Locale.ROOT)).toList();
    }

    private static HttpResponse<String> post(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(BooleanSupplier condition, long timeoutMs) {
        dev.vigil.testing.Streams.await(java.time.Duration.ofMillis(timeoutMs), condition, "the condition");
    }
}
