package dev.vigil.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.Json;
import dev.vigil.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded H2 store, and what only a file database has: restarts and a damaged file. */
class EmbeddedHistoryStoreTest extends HistoryStoreContract {

    @TempDir
    Path dir;

    @Override
    HistoryStore newStore() {
        return EmbeddedHistoryStore.open(dir.resolve("history"), Json.mapper(), Clock.systemUTC());
    }

    @Test
    void keepsItsRecordsOverARestart() {
        store.record(known("k1", T0, "alice"));
        store.putImage("k1", ImageKind.FACE, new byte[] {7});
        store.close();

        store = newStore();

        assertEquals("alice", store.get("k1").orElseThrow().person());
        assertEquals(7, store.image("k1", ImageKind.FACE).orElseThrow()[0]);
    }

    @Test
    void aSecondStoreOnTheSameDataDirectorySharesTheHistory() {
        store.record(known("k1", T0, "alice"));
        try (HistoryStore cli = newStore()) { // in-process here; another process goes through AUTO_SERVER
            assertEquals(1, cli.forgetPerson("alice"));
            cli.record(unknown("u1", T0.plusSeconds(1)));
        }
        assertEquals(AlertRecord.FORGOTTEN, store.get("k1").orElseThrow().person());
        assertEquals(2, store.count());
    }

    @Test
    void setsACorruptFileAsideAndStartsAFreshHistory() throws Exception {
        store.record(known("k1", T0, "alice"));
        store.close();
        Path file = dir.resolve("history").resolve(EmbeddedHistoryStore.FILE);
        byte[] garbage = new byte[8192];
        new java.util.Random(11).nextBytes(garbage);
        Files.write(file, garbage);

        store = EmbeddedHistoryStore.open(dir.resolve("history"), Json.mapper(),
                new MutableClock(T0.plusSeconds(3600)));

        assertEquals(0, store.count(), "a fresh history");
        store.record(unknown("u1", T0));
        assertEquals(List.of("u1"), ids(AlertQuery.all(5)));
        try (Stream<Path> files = Files.list(dir.resolve("history"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.contains("history.mv.db.corrupt-2026-11-20T09-00-00Z"), names.toString());
        }
        store.close();
        store = newStore();
        assertEquals(1, store.count(), "the fresh file is the one used from then on: no crash loop");
    }
}
