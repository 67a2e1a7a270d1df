package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.VigilProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.vigil.testing.Streams;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil} with no arguments and no configuration: the embedded default shows the sample day and keeps running. */
class RunCommandTest {

    @TempDir
    Path dir;

    @Test
    void withNoConfigurationItPrintsTheSampleAlertsAndKeepsRunning() throws Exception {
        Process vigil = VigilProcess.start(dir, Map.of("VIGIL_DATA_DIR", dir.resolve("data").toString()));
        try {
            Streams.await(Duration.ofSeconds(60), () -> stdout().size() >= 6, "six sample alerts on standard output");
            List<String> alerts = stdout();
            assertEquals(6, alerts.size(), String.join("\n", alerts) + VigilProcess.read(dir.resolve("stderr.txt")));
            assertTrue(alerts.get(0).contains("known_person") && alerts.get(0).contains("Front door"), alerts.get(0));
            assertTrue(alerts.get(4).contains("visit_update"), alerts.get(4));
            assertFalse(vigil.waitFor(500, TimeUnit.MILLISECONDS), "keeps running after the sample");
        } finally {
            vigil.destroy();
            assertTrue(vigil.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
        }
    }

    private List<String> stdout() {
        try {
            return VigilProcess.read(dir.resolve("stdout.txt")).lines().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
