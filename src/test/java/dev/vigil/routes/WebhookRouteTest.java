package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.model.Alert;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** routes/42-deliver-webhook.camel.yaml and the webhook error handling, against a real local HTTP receiver. */
class WebhookRouteTest {

    private static final String SECRET = "test-secret-0123456789abcdef";

    @TempDir
    Path dir;
    private WebhookReceiver receiver;

    @BeforeEach
    void receiver() throws Exception {
        receiver = new WebhookReceiver(SECRET);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private RunningVigil vigil(String url) throws Exception {
        return new RunningVigil(dir.resolve("data"), Map.of(
                "vigil.config", Fixtures.profileFriendlyHousehold(dir).toString(),
                "vigil.webhook.url", url, "vigil.webhook.secret", SECRET,
                "vigil.delivery.retry-initial", "20ms", "vigil.delivery.retry-max", "100ms",
                "vigil.delivery.replay-window", "1500ms",
                "vigil.webhook.connect-timeout-ms", "500", "vigil.webhook.response-timeout-ms", "700"));
    }

    /** The real captured stranger: two frames of one fragment, which make one unknown_face alert. */
    private void strangerAtTheDoor(RunningVigil vigil) {
        List<String> pair = Fixtures.realUnknownPair();
        for (int i = 0; i < pair.size(); i++) {
            vigil.record(pair.get(i), "pair#" + i);
        }
    }

    @Test
    void deliversOneSignedAlertWithOnlyTheDocumentedHeaders() throws Exception {
        try (RunningVigil vigil = vigil(receiver.url())) {
            strangerAtTheDoor(vigil);
        }
        assertEquals(1, receiver.requests().size());
        WebhookReceiver.Request request = receiver.requests().get(0);
        assertTrue(request.signatureValid(), "signature verifies with the shared secret");
        JsonNode alert = request.json();
        assertEquals("unknown_face", alert.get("type").asText());
        assertEquals("face_recognition", alert.get("camera").get("id").asText(), "camera id from the stream name");
        assertEquals(alert.get("id").asText(), request.headers().get("X-Vigil-Alert-Id"));
        assertEquals("application/json", request.headers().get("Content-Type"));
        request.headers().keySet().forEach(name -> {
            assertFalse(name.toLowerCase().startsWith("camel"), "no Camel header leaks: " + name);
            assertFalse(name.toLowerCase().startsWith("vigil"), "no internal header leaks: " + name);
        });
        assertTrue(Fixtures.files(dir.resolve("data/dead-letters")).isEmpty());
    }

    @Test
    void anAlertIdAlreadyDeliveredIsNotSentAgain() throws Exception {
        Alert alert = new ObjectMapper().findAndRegisterModules()
                .readValue(Path.of("docs/alert-v1-examples/unknown_face.json").toFile(), Alert.class);
        try (RunningVigil vigil = vigil(receiver.url())) {
            vigil.deliver(alert);
            vigil.deliver(alert);
        }
        assertEquals(1, receiver.requests().size());
        assertEquals(alert.id(), receiver.requests().get(0).headers().get("X-Vigil-Alert-Id"));
    }

    @Test
    void retriesServerErrorsAndRateLimitsThenDeliversTheSameAlert() throws Exception {
        receiver.respond(500, 429);
        try (RunningVigil vigil = vigil(receiver.url())) {
            strangerAtTheDoor(vigil);
        }
        List<WebhookReceiver.Request> requests = receiver.requests();
        assertEquals(3, requests.size(), "500, 429, then 200");
        assertEquals(1, requests.stream().map(r -> r.headers().get("X-Vigil-Alert-Id")).distinct().count());
        assertEquals(1, requests.stream().map(r -> new String(r.body())).distinct().count(), "identical body");
        assertTrue(requests.stream().allMatch(WebhookReceiver.Request::signatureValid));
        assertTrue(Fixtures.files(dir.resolve("data/dead-letters")).isEmpty());
    }

    @Test
    void aRateLimitedReceiversRetryAfterIsHonoured() throws Exception {
        receiver.respond(429).retryAfter("1");
        try (RunningVigil vigil = vigil(receiver.url())) {
            strangerAtTheDoor(vigil);
        }
        List<WebhookReceiver.Request> requests = receiver.requests();
        assertEquals(2, requests.size());
        long waitedMs = (requests.get(1).at() - requests.get(0).at()) / 1_000_000;
        assertTrue(waitedMs >= 950, "waited " + waitedMs + " ms as Retry-After: 1 asked, not the 20 ms backoff");
    }

    @Test
    void onALiveSourceAnAlertThatExpiredIsDeadLetteredNotDelivered() throws Exception {
        try (RunningVigil vigil = vigil(receiver.url())) {
            List<String> pair = Fixtures.realUnknownPair(); // frames of 2020: long past their 15-minute alertTtl
            vigil.liveRecord(pair.get(0), "live#0");
            vigil.liveRecord(pair.get(1), "live#1");
        }
        assertEquals(0, receiver.requests().size());
        JsonNode letter = onlyDeadLetter("alert-webhook");
        assertEquals("expired before it could be delivered", letter.get("reason").asText());
        assertTrue(letter.get("payload").get("stale").asBoolean());
    }

    @Test
    void clientErrorIsNotRetriedAndTheAlertIsDeadLettered() throws Exception {
        receiver.respond(400);
        try (RunningVigil vigil = vigil(receiver.url())) {
            strangerAtTheDoor(vigil);
        }
        assertEquals(1, receiver.requests().size());
        JsonNode letter = onlyDeadLetter("alert-webhook");
        assertTrue(letter.get("reason").asText().contains("HTTP 400"), letter.toString());
        assertEquals("unknown_face", letter.get("payload").get("type").asText(), "the alert itself is kept");
        assertEquals("pair#1", letter.get("source").asText());
    }

    @Test
    void receiverThatNeverAnswersIsRetriedUntilTheRetryWindowClosesThenDeadLettered() throws Exception {
        receiver.hang();
        long start = System.nanoTime();
        try (RunningVigil vigil = vigil(receiver.url())) {
            strangerAtTheDoor(vigil); // a replayed record: 1.5 s (vigil.delivery.replay-window) from its first try
        }
        assertTrue(receiver.requests().size() >= 2, "tried and retried: " + receiver.requests().size());
        JsonNode letter = onlyDeadLetter("alert-webhook");
        assertTrue(letter.get("reason").asText().startsWith("expired undelivered after "), letter.toString());
        assertTrue(letter.get("reason").asText().contains("SocketTimeoutException"), letter.toString());
        assertTrue((System.nanoTime() - start) / 1e9 < 20, "bounded by the window and the response timeout");
    }

    @Test
    void refusedConnectionIsRetriedUntilTheRetryWindowClosesThenDeadLettered() throws Exception {
        String closedPort = receiver.url();
        receiver.close();
        long start = System.nanoTime();
        try (RunningVigil vigil = vigil(closedPort)) {
            strangerAtTheDoor(vigil);
            assertTrue((System.nanoTime() - start) / 1e6 >= 1400, "retried for the whole window, not 3 times");
        }
        JsonNode letter = onlyDeadLetter("alert-webhook");
        assertTrue(letter.get("reason").asText().startsWith("expired undelivered after "), letter.toString());
    }

    private JsonNode onlyDeadLetter(String kind) throws Exception {
        List<Path> letters = Fixtures.files(dir.resolve("data/dead-letters"));
        assertEquals(1, letters.size(), letters.toString());
        assertTrue(letters.get(0).startsWith(dir.resolve("data/dead-letters/" + kind)));
        return new ObjectMapper().readTree(letters.get(0).toFile());
    }
}
