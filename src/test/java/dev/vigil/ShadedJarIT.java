package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar of the README's run command (target/vigil.jar), started as users start it: with
 * VIGIL_LOG_FORMAT=json every log line is a JSON object (log4j's plugin caches merged by the shade plugin; a
 * jar without them printed "Unable to locate plugin ... JsonTemplateLayout" and logged nothing as JSON).
 */
class ShadedJarIT {

    @TempDir
    Path dir;

    @Test
    void logsJsonLinesWhenAskedTo() throws Exception {
        Path out = dir.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/vigil.jar", "replay", "src/main/resources/sample/scenario.jsonl"))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        builder.environment().put("VIGIL_LOG_FORMAT", "json");
        builder.environment().put("VIGIL_DATA_DIR", dir.resolve("data").toString());
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "replay finishes");
        String text = Files.readString(out);
        assertEquals(0, process.exitValue(), text);
        assertFalse(text.contains("Unable to locate plugin"), text);
        long jsonLines = text.lines().filter(l -> l.startsWith("{\"@timestamp\"")).map(l -> {
            try {
                JsonNode node = Json.mapper().readTree(l);
                assertTrue(node.hasNonNull("log.level") && node.hasNonNull("message"), l);
                return node;
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).count();
        assertTrue(jsonLines > 5, "log lines are JSON objects:\n" + text);
    }
}
