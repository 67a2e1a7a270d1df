package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.vigil.Vigil;
import dev.vigil.config.ConfigException;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Face;
import dev.vigil.model.Severity;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.KvsFake;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/30-enrich.camel.yaml end to end: alerts handed to the deliver route are enriched from the camera's
 * Kinesis Video stream (a faithful WireMock fake with real JPEG frames) and reach real webhook receivers.
 */
class VideoEnrichmentTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String STREAM = "front-door-cam"; // the example household's front-door camera
    static KvsFake kvs;
    @TempDir
    Path dir;
    WebhookReceiver home;
    WebhookReceiver friend;
    int httpPort;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void fake() {
        kvs = KvsFake.shared();
    }


    @BeforeEach
    void receivers() throws Exception {
        kvs.reset();
        home = new WebhookReceiver(SECRET);
        friend = new WebhookReceiver(SECRET);
        httpPort = Moto.freePort();
    }

    @AfterEach
    void stop() {
        home.close();
        friend.close();
    }

    private RunningVigil vigil(Map<String, String> more) throws Exception {
        Path secret = Fixtures.write(dir.resolve("secret"), SECRET);
        Path household = Fixtures.exampleHouseholdWith(dir, Fixtures.privateHomeWebhook(home.url(), secret, """
                  embedSnapshot: true
                - name: friend
                  url: %s
                  secretFile: %s
                """.formatted(friend.url(), secret)));
        Map<String, String> props = new HashMap<>(Map.of("vigil.config", household.toString(),
                "vigil.snapshot.enabled", "true", "vigil.clip.enabled", "true",
                "vigil.aws.endpoints.kinesisvideo", kvs.url(), "vigil.http.port", Integer.toString(httpPort),
                "vigil.snapshot.public-url", "http://127.0.0.1:" + httpPort,
                "vigil.snapshot.signing-key", "test-signing-key-0123456789",
                // generous: a busy test machine must not turn a slow first call into "timed out"
                "vigil.snapshot.budget", "10s"));
        props.putAll(more);
        return new RunningVigil(dir.resolve("data"), props);
    }

    /** A live alert of the front-door camera about a frame at {@code at}, in a visit seen from 3 s before. */
    static Alert alert(Instant at) {
        return new Alert(Alert.VERSION, UUID.randomUUID().toString(), AlertType.UNKNOWN_FACE, Severity.WARNING,
                "usable face with no match in the collection", new Alert.Camera("front-door", "Front door", "Porch"), null,
                new Alert.Visit("v-0123456789abcdef0123", at.minusSeconds(3), at, 3), at, Instant.now().plusSeconds(3600),
                false, false, Alert.FaceSummary.of(new Face(new Face.BoundingBox(0.4, 0.3, 0.2, 0.3), 99.9, 60, 80, 5, 3, 1)),
                new Alert.SourceRef("rekognition-stream-processor",
                        "arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door-cam/1700000000000",
                        "91343852333181467302591170480509604486953280253", at.minusSeconds(1)));
    }

    static Instant frameTime() {
        return Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.MILLIS);
    }

    static byte[] frame() {
        return KvsFake.jpeg(640, 360, new Color(40, 60, 80), new Rectangle(260, 100, 120, 160), new Color(220, 180, 150));
    }

    static Instant seconds(JsonNode n) {
        return Instant.ofEpochMilli(new BigDecimal(n.asText()).movePointRight(3).longValue());
    }

    /** GetDataEndpoint calls for the front door's GetImages. */
    static long imageEndpointCalls() {
        return kvs.requests("/getDataEndpoint").stream().filter(r -> r.get("StreamName").asText().equals(STREAM)
                && r.get("APIName").asText().equals("GET_IMAGES")).count();
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theSnapshotIsEmbeddedForOptedInWebhooksAndServedAtASignedUrl() throws Exception {
        Instant at = frameTime();
        kvs.frame(STREAM, at.minusMillis(40), frame());
        Alert alert = alert(at);
        try (RunningVigil vigil = vigil(Map.of())) {
            vigil.deliver(alert);

            JsonNode toHome = home.requests().get(0).json();
            JsonNode toFriend = friend.requests().get(0).json();
            assertTrue(home.requests().get(0).signatureValid());
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                            Path.of("docs/alert-v1.schema.json").toFile()));
            assertEquals(Set.of(), schema.validate(toHome), "private, embedded: still Alert v1");
            assertEquals(Set.of(), schema.validate(toFriend));

            assertEquals("attached", toHome.at("/snapshot/status").asText());
            assertEquals(at, Instant.parse(toHome.at("/snapshot/takenAt").asText()));
            byte[] embedded = Base64.getDecoder().decode(toHome.at("/snapshot/base64").asText());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(embedded));
            assertEquals(1280, image.getWidth(), "asked for the configured bounded size");
            assertEquals(720, image.getHeight());
            Color box = new Color(image.getRGB((int) (0.4 * 1280), (int) (0.45 * 720)));
            assertTrue(box.getRed() > 200 && box.getBlue() < 80, "the face box is drawn: " + box);

            assertFalse(toFriend.at("/snapshot").has("base64"), "base64 only where opted in");
            String url = toFriend.at("/snapshot/url").asText();
            assertEquals(url, toHome.at("/snapshot/url").asText());
            assertTrue(url.startsWith("http://127.0.0.1:" + httpPort + "/snapshots/" + alert.id() + ".jpg?expires="), url);

            HttpResponse<byte[]> served = get(url);
            assertEquals(200, served.statusCode());
            assertEquals("image/jpeg", served.headers().firstValue("Content-Type").orElse(""));
            assertTrue(java.util.Arrays.equals(embedded, served.body()), "the same JPEG as embedded");

            char first = url.charAt(url.indexOf("token=") + 6);
            String altered = url.replace("token=" + first, "token=" + (first == '0' ? '1' : '0'));
            assertEquals(403, get(altered).statusCode(), "altered token");
            assertEquals(403, get(url.replace("token=", "token=x")).statusCode());
            long expires = Long.parseLong(url.replaceAll(".*expires=(\\d+).*", "$1"));
            assertEquals(403, get(url.replace("expires=" + expires, "expires=" + (expires + 3600))).statusCode(),
                    "a longer expiry is not signed");
            assertEquals(403, get(url.replaceAll("\\?.*", "")).statusCode(), "no token");
            String other = new dev.vigil.video.SnapshotTokens("test-signing-key-0123456789".getBytes())
                    .url("http://127.0.0.1:" + httpPort, UUID.randomUUID().toString(), Instant.now().plusSeconds(60));
            assertEquals(404, get(other).statusCode(), "validly signed, but no such snapshot");
            String expired = new dev.vigil.video.SnapshotTokens("test-signing-key-0123456789".getBytes())
                    .url("http://127.0.0.1:" + httpPort, alert.id(), Instant.now().minusSeconds(1));
            assertEquals(403, get(expired).statusCode(), "expired");
        }
        JsonNode sent = kvs.requests("/getImages").get(0);
        assertEquals(STREAM, sent.get("StreamName").asText());
        assertEquals("PRODUCER_TIMESTAMP", sent.get("ImageSelectorType").asText());
        assertEquals("JPEG", sent.get("Format").asText());
        assertEquals(at, seconds(sent.get("StartTimestamp")));
        assertEquals(at.plusMillis(100), seconds(sent.get("EndTimestamp")));
        assertEquals(1280, sent.get("WidthPixels").asInt());
        assertEquals(720, sent.get("HeightPixels").asInt());
    }

    @Test
    void theClipGoesOnlyToPrivateChannelsAndIsNeverLogged() throws Exception {
        Instant at = frameTime();
        kvs.frame(STREAM, at, frame());
        StringWriter logs = new StringWriter();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        WriterAppender capture = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%c %m%n").build(),
                null, logs, "capture", false, true);
        capture.start();
        logging.getConfiguration().addAppender(capture);
        logging.getConfiguration().getRootLogger().addAppender(capture, null, null);
        logging.updateLoggers();
        Alert alert = alert(at);
        try (RunningVigil vigil = vigil(Map.of("vigil.clip.expiry", "2h", "vigil.clip.padding", "4s"))) {
            vigil.deliver(alert);
            // a failing private webhook: its alert is dead-lettered and logged, the clip must stay out of both
            home.alwaysRespond(400);
            vigil.deliver(alert(at));
        } finally {
            logging.getConfiguration().getRootLogger().removeAppender("capture");
            logging.updateLoggers();
            capture.stop();
        }
        List<String> tokens = kvs.sessionTokens();
        assertEquals(2, tokens.size());
        JsonNode toHome = home.requests().get(0).json();
        String clipUrl = toHome.at("/clip/url").asText();
        assertTrue(clipUrl.endsWith("SessionToken=" + tokens.get(0)), clipUrl);
        assertEquals(at.minusSeconds(3).minusSeconds(4), Instant.parse(toHome.at("/clip/start").asText()));
        assertEquals(at.plusSeconds(4), Instant.parse(toHome.at("/clip/end").asText()));
        assertFalse(friend.requests().get(0).json().has("clip"), "not private: no clip");
        for (JsonNode r : friend.requests().stream().map(WebhookReceiver.Request::json).toList()) {
            assertFalse(r.toString().contains("SessionToken"));
        }

        JsonNode sent = kvs.requests("/getHLSStreamingSessionURL").get(0);
        assertEquals(STREAM, sent.get("StreamName").asText());
        assertEquals("ON_DEMAND", sent.get("PlaybackMode").asText());
        assertEquals("PRODUCER_TIMESTAMP", sent.at("/HLSFragmentSelector/FragmentSelectorType").asText());
        assertEquals(at.minusSeconds(7), seconds(sent.at("/HLSFragmentSelector/TimestampRange/StartTimestamp")));
        assertEquals(at.plusSeconds(4), seconds(sent.at("/HLSFragmentSelector/TimestampRange/EndTimestamp")));
        assertEquals(7200, sent.get("Expires").asInt());

        String logged = logs.toString();
        assertTrue(logged.contains("dev.vigil.deadletter"), "the logs were captured:\n" + logged);
        for (String token : tokens) {
            assertFalse(logged.contains(token), "a session token was logged:\n" + logged);
        }
        for (Path letter : Fixtures.files(dir.resolve("data/dead-letters"))) {
            String text = java.nio.file.Files.readString(letter);
            for (String token : tokens) {
                assertFalse(text.contains(token), "a session token was dead-lettered in " + letter);
            }
        }
    }

    @Test
    void aSlowStreamDoesNotDelayTheAlertItGoesOutWithoutASnapshotAndSaysSo() throws Exception {
        Instant at = frameTime();
        kvs.frame(STREAM, at, frame()).delayImages(Duration.ofSeconds(6)).delayHls(Duration.ofSeconds(6));
        try (RunningVigil vigil = vigil(Map.of("vigil.snapshot.budget", "500ms"))) {
            long start = System.nanoTime();
            vigil.deliver(alert(at));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs < 4000, "delivered before KVS answered (6 s), took " + tookMs + " ms");
            JsonNode toHome = home.requests().get(0).json();
            assertEquals("none", toHome.at("/snapshot/status").asText());
            assertEquals("timed out", toHome.at("/snapshot/reason").asText());
            assertFalse(toHome.at("/snapshot").has("url"));
            assertFalse(toHome.has("clip"), "the clip was not there in time either");
        }
    }

    @Test
    void noMediaAtTheFrameTimeMeansNoSnapshotWithTheReason() throws Exception {
        Instant at = frameTime();
        kvs.stream(STREAM).frame(STREAM, at.minusSeconds(30), frame()); // video, but not at the alert's frame
        try (RunningVigil vigil = vigil(Map.of())) {
            vigil.deliver(alert(at));
        }
        JsonNode toFriend = friend.requests().get(0).json();
        assertEquals("none", toFriend.at("/snapshot/status").asText());
        assertEquals("no media", toFriend.at("/snapshot/reason").asText());
        assertEquals(1, kvs.requests("/getImages").size());
    }

    @Test
    void oneDataEndpointServesManyAlertsAndIsReloadedAfterAFailure() throws Exception {
        Instant at = frameTime();
        kvs.frame(STREAM, at, frame());
        try (RunningVigil vigil = vigil(Map.of("vigil.clip.enabled", "false"))) {
            for (int i = 0; i < 3; i++) {
                vigil.deliver(alert(at));
            }
            assertEquals(1, imageEndpointCalls(), "cached for three alerts (or fetched ahead at start-up)");
            kvs.failImages(1000, 503, "ServiceUnavailableException");
            vigil.deliver(alert(at));
            kvs.reset();
            kvs.frame(STREAM, at, frame());
            vigil.deliver(alert(at));
            assertEquals(1, imageEndpointCalls(), "fetched again after the failure");
        }
        List<String> statuses = home.requests().stream().map(r -> r.json().at("/snapshot/status").asText()).toList();
        assertEquals(List.of("attached", "attached", "attached", "none", "attached"), statuses);
        assertEquals("error", home.requests().get(3).json().at("/snapshot/reason").asText());
    }

    @Test
    void liveRecordsGetTheFrameOfTheirDecidingObservation() throws Exception {
        // video all day on the three cameras of the example household: any frame time finds a frame
        kvs.frameSpan(Duration.ofDays(3650));
        for (String stream : List.of("front-door-cam", "driveway-cam", "back-garden-cam")) {
            kvs.frame(stream, Instant.parse("2026-01-01T00:00:00Z"), frame());
        }
        Path secret = Fixtures.write(dir.resolve("secret"), SECRET);
        String live = java.nio.file.Files.readString(Fixtures.exampleHouseholdForLiveSources(dir));
        Path household = Fixtures.write(dir.resolve("household-video.yaml"), live + Fixtures.privateHomeWebhook(home.url(), secret, ""));
        List<String> lines = Fixtures.lines(Fixtures.SCENARIO);
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.config", household.toString(),
                "vigil.snapshot.enabled", "true", "vigil.clip.enabled", "true", "vigil.snapshot.budget", "10s",
                "vigil.aws.endpoints.kinesisvideo", kvs.url(), "vigil.http.port", Integer.toString(httpPort)))) {
            for (int i = 0; i < lines.size(); i++) {
                vigil.liveRecord(lines.get(i), "shardId-000000000000/" + i);
            }
        }
        List<JsonNode> alerts = home.requests().stream().map(WebhookReceiver.Request::json).toList();
        assertEquals(6, alerts.size(), "the sample day's alerts");
        List<Instant> asked = kvs.requests("/getImages").stream().map(r -> seconds(r.get("StartTimestamp"))).toList();
        int enriched = 0;
        for (JsonNode a : alerts) {
            assertFalse(a.get("replayed").asBoolean());
            if (a.at("/camera/id").asText().equals("side-gate-cam")) {
                assertFalse(a.has("snapshot"), "a stream no camera claims has no kvsStream to read");
                continue;
            }
            enriched++;
            assertEquals("attached", a.at("/snapshot/status").asText(), a.toString());
            Instant observed = Instant.parse(a.get("observedAt").asText());
            assertEquals(observed, Instant.parse(a.at("/snapshot/takenAt").asText()));
            assertTrue(asked.contains(observed), "GetImages at the deciding frame's time " + observed + ": " + asked);
            assertTrue(a.at("/clip/url").asText().contains("SessionToken="));
        }
        assertTrue(enriched >= 4, "most of the day's alerts are from household cameras: " + enriched);
    }

    @Test
    void replayedAlertsAreNotEnriched() throws Exception {
        Instant at = frameTime();
        kvs.frame(STREAM, at, frame());
        try (RunningVigil vigil = vigil(Map.of())) {
            vigil.deliver(alert(at).asReplayed());
        }
        assertFalse(friend.requests().get(0).json().has("snapshot"));
        assertTrue(kvs.requests("/getImages").isEmpty());
        assertTrue(kvs.requests("/getHLSStreamingSessionURL").isEmpty());
    }

    @Test
    void withSnapshotsOffThereIsNoSnapshotRouteAndAlertsAreUnchanged() throws Exception {
        kvs.frame(STREAM, frameTime(), frame());
        // the history off too: with it on, an unknown face's deciding frame is fetched for teaching (TeachingTest)
        try (RunningVigil vigil = vigil(Map.of("vigil.snapshot.enabled", "false", "vigil.clip.enabled", "false",
                "vigil.history.enabled", "false"))) {
            assertNull(vigil.main().getCamelContext().getRoute("snapshots"));
            vigil.deliver(alert(frameTime()));
        }
        assertFalse(friend.requests().get(0).json().has("snapshot"));
        assertTrue(kvs.requests("/getDataEndpoint").isEmpty());
    }

    @Test
    void aClipExpiryOutsideTheKvsLimitsStopsStartUp() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> vigil(Map.of("vigil.clip.expiry", "100s")).close());
        ConfigException problem = Vigil.configProblem(e);
        assertNotNull(problem, e.toString());
        assertTrue(problem.getMessage().startsWith("vigil.clip.expiry"), problem.getMessage());
    }
}
