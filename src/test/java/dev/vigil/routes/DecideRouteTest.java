package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** routes/20-decide.camel.yaml and the record dead-letter path: poison records never stop the stream. */
class DecideRouteTest {

    private static final String SECRET = "test-secret-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void poisonRecordsAreDeadLetteredWithTheirReasonAndTheStreamKeepsMoving() throws Exception {
        byte[] garbage = new byte[1024 * 1024];
        new Random(7).nextBytes(garbage);
        String good = Fixtures.realUnknownPair().get(0);
        Map<String, String> poison = Map.of(
                "empty", "",
                "not-json", "{\"InputInformation\": {",
                "wrong-type", good.replace("\"ProducerTimestamp\":1.605467324071E9", "\"ProducerTimestamp\":\"yesterday\""),
                "garbage", new String(garbage, java.nio.charset.StandardCharsets.ISO_8859_1),
                "no-faces", "{\"InputInformation\":{\"KinesisVideo\":{}}}");
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of(
                     "vigil.config", Fixtures.profileFriendlyHousehold(dir).toString(),
                     "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET))) {
            vigil.record(Fixtures.realUnknownPair().get(0), "good#0");
            poison.forEach((name, payload) -> vigil.record(payload, name));
            vigil.record(Fixtures.realUnknownPair().get(1), "good#1");
            assertEquals(1, receiver.requests().size(), "the two good frames still make their alert");
        }
        List<Path> letters = Fixtures.files(dir.resolve("data/dead-letters/record"));
        assertEquals(poison.size(), letters.size());
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> bySource = letters.stream().map(p -> read(json, p))
                .collect(Collectors.toMap(n -> n.get("source").asText(), n -> n));
        assertEquals(poison.keySet(), bySource.keySet());
        assertEquals("empty record", bySource.get("empty").get("reason").asText());
        assertTrue(bySource.get("not-json").get("reason").asText().startsWith("not JSON"));
        assertTrue(bySource.get("wrong-type").get("reason").asText().contains("ProducerTimestamp"));
        assertTrue(bySource.get("no-faces").get("reason").asText().contains("StreamArn"));
        assertEquals(poison.get("wrong-type"), bySource.get("wrong-type").get("payload").asText(),
                "the original payload is kept for replay");
        assertEquals(garbage.length, bySource.get("garbage").get("payload").asText().length());
        for (JsonNode letter : bySource.values()) {
            assertTrue(Set.of("kind", "reason", "time", "source", "payload").stream().allMatch(letter::has));
        }
    }

    private static JsonNode read(ObjectMapper json, Path p) {
        try {
            return json.readTree(p.toFile());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
