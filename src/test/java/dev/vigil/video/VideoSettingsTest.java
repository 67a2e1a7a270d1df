package dev.vigil.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The vigil.snapshot.* / vigil.clip.* settings, and signed snapshot URLs. */
class VideoSettingsTest {

    static VideoSettings settings(Map<String, String> props) {
        return VideoSettings.from(dev.vigil.config.Settings.defaultsWith(props));
    }

    static String problem(Map<String, String> props) {
        return assertThrows(ConfigException.class, () -> settings(props)).getMessage();
    }

    @Test
    void defaultsAreOffWithATwoSecondBudgetAndABoundedSize() {
        VideoSettings s = settings(Map.of());
        assertFalse(s.enabled());
        assertEquals(Duration.ofSeconds(2), s.budget());
        assertEquals(1280, s.size().widthPixels());
        assertEquals(720, s.size().heightPixels());
        assertEquals(Duration.ofHours(1), s.clipExpiry());
        assertEquals("http://localhost:8080", s.publicUrl());
        assertEquals(32, s.signingKey().length, "a random key when none is configured");
    }

    @Test
    void bothSidesZeroAskForTheCamerasOwnSize() {
        VideoSettings s = settings(Map.of("vigil.snapshot.width", "0", "vigil.snapshot.height", "0"));
        assertNull(s.size().widthPixels());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        assertTrue(problem(Map.of("vigil.clip.expiry", "299s")).startsWith("vigil.clip.expiry"));
        assertTrue(problem(Map.of("vigil.clip.expiry", "12h1s")).startsWith("vigil.clip.expiry"));
        assertTrue(problem(Map.of("vigil.clip.expiry", "13h")).startsWith("vigil.clip.expiry"));
        assertEquals(Duration.ofHours(12), settings(Map.of("vigil.clip.expiry", "12h")).clipExpiry());
        assertEquals(Duration.ofMinutes(5), settings(Map.of("vigil.clip.expiry", "300s")).clipExpiry());
        assertTrue(problem(Map.of("vigil.snapshot.budget", "soon")).startsWith("vigil.snapshot.budget"));
        assertTrue(problem(Map.of("vigil.snapshot.budget", "0s")).startsWith("vigil.snapshot.budget"));
        assertTrue(problem(Map.of("vigil.snapshot.width", "4000")).startsWith("vigil.snapshot.width"));
        assertTrue(problem(Map.of("vigil.snapshot.width", "0")).startsWith("vigil.snapshot.width"));
        assertTrue(problem(Map.of("vigil.snapshot.enabled", "yes")).startsWith("vigil.snapshot.enabled"));
        assertTrue(problem(Map.of("vigil.snapshot.signing-key", "short")).startsWith("vigil.snapshot.signing-key"));
        assertTrue(problem(Map.of("vigil.snapshot.public-url", "vigil.example.org")).startsWith("vigil.snapshot.public-url"));
    }

    @Test
    void snapshotUrlsAreSignedAndExpire() {
        SnapshotTokens tokens = new SnapshotTokens("0123456789abcdef0123".getBytes());
        Instant expires = Instant.parse("2026-11-25T15:00:00Z");
        String url = tokens.url("https://vigil.example.org", "0b9a1c2d-3e4f-5061-7283-94a5b6c7d8e9", expires);
        String expiresText = url.replaceAll(".*expires=(\\d+).*", "$1");
        String token = url.replaceAll(".*token=", "");
        assertEquals(64, token.length());
        String id = "0b9a1c2d-3e4f-5061-7283-94a5b6c7d8e9";
        assertTrue(tokens.valid(id, expiresText, token, expires.minusSeconds(1)));
        assertFalse(tokens.valid(id, expiresText, token, expires), "expired");
        assertFalse(tokens.valid("1b9a1c2d-3e4f-5061-7283-94a5b6c7d8e9", expiresText, token, expires.minusSeconds(1)));
        assertFalse(tokens.valid(id, Long.toString(expires.getEpochSecond() + 1), token, expires.minusSeconds(1)));
        assertFalse(new SnapshotTokens("another-key-0123456789".getBytes()).valid(id, expiresText, token,
                expires.minusSeconds(1)), "another key");
        assertFalse(tokens.valid(id, null, token, expires.minusSeconds(1)));
        assertFalse(tokens.valid(id, "-5", token, expires.minusSeconds(1)));
    }

    @Test
    void theSnapshotStoreKeepsTheMostRecentlyUsedAndForgetsExpiredOnes() {
        Instant now = Instant.parse("2026-11-25T15:00:00Z");
        java.time.Clock clock = java.time.Clock.fixed(now, java.time.ZoneOffset.UTC);
        SnapshotStore store = new SnapshotStore(2, clock);
        store.put("a", new byte[] {1}, now.plusSeconds(60));
        store.put("b", new byte[] {2}, now.plusSeconds(60));
        assertTrue(store.get("a").isPresent());
        store.put("c", new byte[] {3}, now.plusSeconds(60));
        assertTrue(store.get("b").isEmpty(), "least recently used went first");
        assertTrue(store.get("a").isPresent());
        store.put("d", new byte[] {4}, now);
        assertTrue(store.get("d").isEmpty(), "expired");
    }
}
