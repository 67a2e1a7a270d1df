package dev.vigil.faces;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The audit trail of changes to the face collection: one JSON line per enrolment or forget in
 * {@code <data dir>/audit/faces.jsonl} (time, action, who asked, person id, collection, face counts).
 * Never an image, a face crop or a name.
 */
public class FaceAudit {

    private final Path file;
    private final ObjectMapper json;
    private final Clock clock;

    public FaceAudit(Path dataDir, ObjectMapper json, Clock clock) {
        this.file = dataDir.resolve("audit").resolve("faces.jsonl");
        this.json = json;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** Appends one record; {@code fields} are counts and ids only. */
    public void write(String action, String requestedBy, String personId, String collection,
                                   java.util.Map<String, ?> fields) {
        ObjectNode line = json.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("action", action);
        line.put("requestedBy", requestedBy);
        line.put("person", personId);
        line.put("collection", collection);
        fields.forEach((k, v) -> line.set(k, json.valueToTree(v)));
        // one lock for every writer of the audit files (retention rewrites them: history.RetentionRun)
        synchronized (FaceAudit.class) {
            append(line);
        }
    }

    private void append(ObjectNode line) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit record to " + file, e);
        }
    }
}
