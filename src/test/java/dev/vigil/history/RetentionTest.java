package dev.vigil.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.Json;
import dev.vigil.config.ConfigException;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.config.Retention;
import dev.vigil.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention per data class on a movable clock, against the embedded store and a real audit file. */
class RetentionTest {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    Path dir;
    MutableClock clock;
    HistoryStore store;
    Path audit;

    @BeforeEach
    void open() throws Exception {
        clock = new MutableClock(T0);
        store = EmbeddedHistoryStore.open(dir.resolve("history"), Json.mapper(), clock);
        audit = dir.resolve("audit");
        Files.createDirectories(audit);
        Files.write(audit.resolve("faces.jsonl"), List.of(
                "{\"time\":\"2024-11-01T00:00:00Z\",\"action\":\"enrol\"}",
                "{\"time\":\"2026-11-19T00:00:00Z\",\"action\":\"forget\"}"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theDefaultsExpireKnownFacesAfterADayUnknownAfterAWeekRecordsAfter90DaysAuditAfter2Years() throws Exception {
        store.record(HistoryStoreContract.known("k1", T0, "alice"));
        store.record(HistoryStoreContract.unknown("u1", T0));
        for (String id : List.of("k1", "u1")) {
            store.putImage(id, ImageKind.FACE, new byte[] {1});
            store.putImage(id, ImageKind.SNAPSHOT, new byte[] {2});
        }
        RetentionRun retention = new RetentionRun(store, Retention.DEFAULT, audit, Json.mapper(), clock,
                new SimpleMeterRegistry());

        Map<String, Integer> atStart = retention.run();
        assertEquals(Map.of("alerts", 0, "unknownFaces", 0, "knownFaces", 0, "audit", 1), atStart,
                "the 2024 audit line is older than 2 years");
        assertEquals(1, Files.readAllLines(audit.resolve("faces.jsonl")).size());

        clock.advance(Duration.ofHours(23));
        assertEquals(0, retention.run().get("knownFaces"));
        clock.advance(Duration.ofHours(2));
        assertEquals(1, retention.run().get("knownFaces"));
        assertTrue(store.image("k1", ImageKind.FACE).isEmpty());
        assertTrue(store.image("u1", ImageKind.FACE).isPresent());

        clock.set(T0.plus(Duration.ofDays(7)).plusSeconds(1));
        assertEquals(1, retention.run().get("unknownFaces"));
        assertTrue(store.image("u1", ImageKind.SNAPSHOT).isEmpty());
        assertEquals(2, store.count(), "records outlive their images");

        clock.set(T0.plus(Duration.ofDays(90)).plusSeconds(1));
        assertEquals(2, retention.run().get("alerts"));
        assertEquals(0, store.count());
        assertEquals(1, Files.readAllLines(audit.resolve("faces.jsonl")).size(), "the 2026 audit line stays");
    }

    @Test
    void theHouseholdFileSetsEachAge() throws Exception {
        Path file = dir.resolve("household.yaml");
        Files.writeString(file, "retention:\n  unknownFaces: 2d\n  knownFaces: 1h\n  alerts: 30d\n  audit: 400d\n");
        Retention r = HouseholdLoader.load(file.toString()).retention();
        assertEquals(new Retention(Duration.ofDays(2), Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(400)), r);

        store.record(HistoryStoreContract.known("k1", T0, "alice"));
        store.putImage("k1", ImageKind.FACE, new byte[] {1});
        clock.advance(Duration.ofMinutes(61));
        new RetentionRun(store, r, audit, Json.mapper(), clock, new SimpleMeterRegistry()).run();
        assertFalse(store.get("k1").orElseThrow().face());
    }

    @Test
    void badRetentionStopsStartUpNamingTheKey() throws Exception {
        Path file = dir.resolve("household.yaml");
        Files.writeString(file, "retention:\n  alerts: 0s\n");
        ConfigException zero = assertThrows(ConfigException.class, () -> HouseholdLoader.load(file.toString()));
        assertTrue(zero.getMessage().contains("retention.alerts: must be longer than zero"), zero.getMessage());

        Files.writeString(file, "retention:\n  unknownFaces: 30d\n  alerts: 7d\n");
        ConfigException longer = assertThrows(ConfigException.class, () -> HouseholdLoader.load(file.toString()));
        assertTrue(longer.getMessage().contains("retention.unknownFaces") && longer.getMessage().contains("retention.alerts"),
                longer.getMessage());

        Files.writeString(file, "retention:\n  knownFaces: soon\n");
        ConfigException notADuration = assertThrows(ConfigException.class, () -> HouseholdLoader.load(file.toString()));
        assertTrue(notADuration.getMessage().contains("retention.knownFaces"), notADuration.getMessage());

        Files.writeString(file, "retention:\n  faces: 1d\n");
        ConfigException unknownKey = assertThrows(ConfigException.class, () -> HouseholdLoader.load(file.toString()));
        assertTrue(unknownKey.getMessage().contains("unknown key \"faces\""), unknownKey.getMessage());
    }
}
