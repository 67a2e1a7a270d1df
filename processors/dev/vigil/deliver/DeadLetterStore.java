package dev.vigil.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Headers;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Dead-letter store: one JSON file per dead letter under {@code <data dir>/dead-letters/<kind>/}, holding
 * the original payload (a record as text, an alert as its JSON), the reason, the source and the time.
 */
public class DeadLetterStore {

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path root;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;

    public DeadLetterStore(Path dataDir, ObjectMapper json, Clock clock, MeterRegistry metrics) {
        this.root = dataDir.resolve("dead-letters");
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Writes the exchange's body as a dead letter; returns the path of the file written. */
    public String store(Exchange exchange) {
        Message in = exchange.getMessage();
        String kind = in.getHeader(Headers.DEAD_LETTER_KIND, "record", String.class);
        Instant now = clock.instant();
        ObjectNode letter = json.createObjectNode();
        letter.put("kind", kind);
        letter.put("reason", in.getHeader(Headers.DEAD_LETTER_REASON, "unknown", String.class));
        letter.put("time", now.toString());
        letter.put("source", exchange.getProperty(Headers.SOURCE_REF, String.class));
        Object body = in.getBody();
        if (body instanceof String || body instanceof byte[] || body == null) {
            letter.put("payload", in.getBody(String.class));
        } else {
            letter.set("payload", json.valueToTree(body));
        }
        Path dir = root.resolve(kind);
        Path file = dir.resolve(FILE_TIME.format(now) + "-" + UUID.randomUUID() + ".json");
        try {
            DurableFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(letter));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dead letter to " + dir, e);
        }
        metrics.counter("vigil.dead.letters", "kind", kind).increment();
        return file.toString();
    }

    public Path root() {
        return root;
    }
}
