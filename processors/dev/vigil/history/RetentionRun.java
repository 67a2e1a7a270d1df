package dev.vigil.history;

import dev.vigil.config.Retention;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the household file's retention (routes/46-history.camel.yaml: at start and every
 * vigil.history.retention-interval): face crops and snapshots of unknowns and of known people, alert
 * records, and audit records (the lines of {@code <vigil.data.dir>/audit/*.jsonl} whose {@code time} is
 * older than retention.audit). Ages are measured from the alert's observedAt on the injected clock.
 * Counts go to {@code vigil_retention_deleted_total{class}} and one INFO line (counts only).
 */
public class RetentionRun {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionRun.class);

    private final HistoryStore store;
    private final Retention retention;
    private final Path auditDir;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Counter> deleted = new LinkedHashMap<>();
    private final MeterRegistry metrics;

    /** @param store null when the history is off (only the audit is trimmed) */
    public RetentionRun(HistoryStore store, Retention retention, Path auditDir, ObjectMapper json, Clock clock,
                        MeterRegistry metrics) {
        this.store = store;
        this.retention = retention;
        this.auditDir = auditDir;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** One pass; returns what it deleted per class (unknownFaces, knownFaces, alerts, audit). */
    public synchronized Map<String, Integer> run() {
        Instant now = clock.instant();
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (store != null) {
            counts.put("alerts", store.expire(DataClass.RECORDS, now.minus(retention.alerts())));
            counts.put("unknownFaces", store.expire(DataClass.IMAGES_OF_OTHERS, now.minus(retention.unknownFaces())));
            counts.put("knownFaces", store.expire(DataClass.IMAGES_OF_KNOWN, now.minus(retention.knownFaces())));
        }
        counts.put("audit", trimAudit(now.minus(retention.audit())));
        counts.forEach((dataClass, n) -> deleted.computeIfAbsent(dataClass, c -> Counter.builder("vigil.retention.deleted")
                .description("what retention deleted, by data class").tag("class", c).register(metrics)).increment(n));
        if (counts.values().stream().anyMatch(n -> n > 0)) {
            LOG.info("retention: deleted {}", counts);
        }
        return counts;
    }

    /** Rewrites each audit file without its lines older than the cut (atomically: temp file, then move). */
    private int trimAudit(Instant before) {
        if (!Files.isDirectory(auditDir)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(auditDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                removed += trim(file, before);
            }
        } catch (IOException e) {
            LOG.warn("retention: cannot read {} ({})", auditDir, e.getClass().getSimpleName());
        }
        return removed;
    }

    private int trim(Path file, Instant before) throws IOException {
        synchronized (dev.vigil.faces.FaceAudit.class) { // FaceAudit appends under the same lock
            List<String> keep = new ArrayList<>();
            int removed = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Instant at = line.isBlank() ? null : time(line);
                if (at != null && at.isBefore(before)) {
                    removed++;
                } else if (!line.isBlank()) {
                    keep.add(line);
                }
            }
            if (removed > 0) {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, keep, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return removed;
        }
    }

    private Instant time(String line) {
        try {
            JsonNode t = json.readTree(line).get("time");
            return t == null ? null : Instant.parse(t.asText());
        } catch (IOException | RuntimeException e) {
            return null; // a line it cannot date is kept
        }
    }
}
