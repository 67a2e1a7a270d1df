package dev.vigil.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Headers;
import dev.vigil.Json;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Face;
import dev.vigil.model.Severity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterStoreTest {

    private static final Instant NOW = Instant.parse("2024-03-05T14:00:07.250Z");

    @TempDir
    Path dataDir;

    private final ObjectMapper json = Json.mapper();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private CamelContext camel;
    private DeadLetterStore store;

    @BeforeEach
    void setUp() {
        camel = new DefaultCamelContext();
        store = new DeadLetterStore(dataDir, json, Clock.fixed(NOW, ZoneOffset.UTC), metrics);
    }

    @AfterEach
    void tearDown() throws Exception {
        camel.close();
    }

    @Test
    void recordPayloadIsStoredAsTextUnderItsKind() throws IOException {
        String record = "{\"InputInformation\": truncated";
        Exchange exchange = exchange(record, "record", "not JSON: Unexpected end-of-input", "day.jsonl#12");

        Path file = Path.of(store.store(exchange));

        assertEquals(dataDir.resolve("dead-letters").resolve("record"), file.getParent());
        assertTrue(file.getFileName().toString().startsWith("20240305T140007.250Z-"), file.toString());
        assertTrue(file.getFileName().toString().endsWith(".json"), file.toString());
        JsonNode letter = json.readTree(file.toFile());
        assertEquals("record", letter.get("kind").asText());
        assertEquals("not JSON: Unexpected end-of-input", letter.get("reason").asText());
        assertEquals("day.jsonl#12", letter.get("source").asText());
        assertEquals(NOW.toString(), letter.get("time").asText());
        assertEquals(record, letter.get("payload").asText());
        assertEquals(1.0, metrics.counter("vigil.dead.letters", "kind", "record").count());
    }

    @Test
    void alertBodyIsStoredAsItsJson() throws IOException {
        Alert alert = alert();
        Exchange exchange = exchange(alert, "alert-webhook", "HTTP 503 after 5 attempts", "shardId-000:4953");

        Path file = Path.of(store.store(exchange));

        assertEquals(dataDir.resolve("dead-letters").resolve("alert-webhook"), file.getParent());
        JsonNode letter = json.readTree(file.toFile());
        assertEquals("alert-webhook", letter.get("kind").asText());
        assertEquals("HTTP 503 after 5 attempts", letter.get("reason").asText());
        assertEquals("shardId-000:4953", letter.get("source").asText());
        assertEquals(NOW.toString(), letter.get("time").asText());
        JsonNode payload = letter.get("payload");
        assertTrue(payload.isObject(), "an alert is stored as JSON, not as a string: " + payload);
        assertEquals(alert.id(), payload.get("id").asText());
        assertEquals("unknown_face", payload.get("type").asText());
        assertEquals("critical", payload.get("severity").asText());
        assertEquals("2024-03-05T14:00:01Z", payload.get("observedAt").asText());
        assertEquals(alert, json.treeToValue(payload, Alert.class), "the stored alert reads back unchanged");
        assertEquals(1.0, metrics.counter("vigil.dead.letters", "kind", "alert-webhook").count());
    }

    @Test
    void byteArrayPayloadIsStoredAsText() throws IOException {
        Exchange exchange = exchange("line one".getBytes(java.nio.charset.StandardCharsets.UTF_8), "record",
                "empty record", "f.jsonl#1");

        JsonNode letter = json.readTree(Path.of(store.store(exchange)).toFile());

        assertEquals("line one", letter.get("payload").asText());
    }

    @Test
    void missingHeadersDefaultToRecordAndUnknownReason() throws IOException {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody("payload");

        Path file = Path.of(store.store(exchange));

        assertEquals(dataDir.resolve("dead-letters").resolve("record"), file.getParent());
        JsonNode letter = json.readTree(file.toFile());
        assertEquals("unknown", letter.get("reason").asText());
        assertTrue(letter.get("source").isNull());
    }

    @Test
    void everyDeadLetterGetsItsOwnFileAndIsCounted() throws IOException {
        store.store(exchange("a", "record", "bad", "f#1"));
        store.store(exchange("b", "record", "bad", "f#2"));
        store.store(exchange("c", "alert-console", "bad", "f#3"));

        try (Stream<Path> records = Files.list(dataDir.resolve("dead-letters/record"))) {
            assertEquals(2, records.count());
        }
        assertEquals(2.0, metrics.counter("vigil.dead.letters", "kind", "record").count());
        assertEquals(1.0, metrics.counter("vigil.dead.letters", "kind", "alert-console").count());
        assertEquals(dataDir.resolve("dead-letters"), store.root());
    }

    private Exchange exchange(Object body, String kind, String reason, String sourceRef) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Headers.DEAD_LETTER_KIND, kind);
        exchange.getMessage().setHeader(Headers.DEAD_LETTER_REASON, reason);
        exchange.setProperty(Headers.SOURCE_REF, sourceRef);
        return exchange;
    }

    private static Alert alert() {
        Instant observed = Instant.parse("2024-03-05T14:00:01Z");
        return new Alert(Alert.VERSION, "0b9a1c2d-3e4f-5061-7283-94a5b6c7d8e9", AlertType.UNKNOWN_FACE,
                Severity.CRITICAL, "usable face with no match in the collection in 2 agreeing frames; mode away",
                new Alert.Camera("front-door", "Front door", "Porch"), null,
                new Alert.Visit("v-0123456789abcdef0123", Instant.parse("2024-03-05T14:00:00Z"), observed, 2),
                observed, observed.plusSeconds(900), false, false,
                Alert.FaceSummary.of(new Face(new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 99.9, 60, 80, 5, 3,
                        Double.NaN)),
                new Alert.SourceRef("rekognition-stream-processor",
                        "arn:aws:kinesisvideo:eu-west-2:123456789012:stream/front-door-cam/1700000000000",
                        "91343852333181467302591170480509604486953280253", Instant.parse("2024-03-05T13:59:59Z")));
    }
}
