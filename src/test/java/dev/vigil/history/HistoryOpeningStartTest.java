package dev.vigil.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.Vigil;
import dev.vigil.config.ConfigException;
import dev.vigil.testing.RunningVigil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history store opens on its own thread beside the routes' loading (OpeningHistoryStore): a history that
 * cannot be opened still stops start-up with its configuration problem, and one that opens is there, with what
 * it held, before the first record.
 */
class HistoryOpeningStartTest {

    @TempDir
    Path dir;

    @Test
    void aHistoryThatCannotBeOpenedStillStopsStartUpNamingTheKey() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("history"), "a file where the history's directory goes");

        Exception failed = assertThrows(Exception.class, () -> new RunningVigil(data, Map.of()).close());

        ConfigException problem = Vigil.configProblem(failed);
        assertNotNull(problem, () -> "not a configuration problem: " + failed);
        assertTrue(problem.getMessage().startsWith("vigil.data.dir: cannot create " + data.resolve("history")),
                problem.getMessage());
    }

    @Test
    void theHistoryIsOpenWithWhatItHeldOnceStarted() throws Exception {
        Path data = dir.resolve("data");
        try (RunningVigil vigil = new RunningVigil(data, Map.of())) {
            vigil.sampleDay();
            HistoryWriter writer = vigil.main().getCamelContext().getRegistry()
                    .lookupByNameAndType("historyWriter", HistoryWriter.class);
            assertTrue(writer.awaitEmpty(java.time.Duration.ofSeconds(30)));
        }
        try (RunningVigil again = new RunningVigil(data, Map.of())) {
            HistoryStore store = again.main().getCamelContext().getRegistry()
                    .lookupByNameAndType("historyStore", HistoryStore.class);
            assertTrue(store instanceof OpeningHistoryStore, store.getClass().getName());
            assertEquals(6, store.count());
        }
    }
}
