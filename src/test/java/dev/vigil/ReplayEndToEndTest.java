package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.Fixtures;
import dev.vigil.testing.VigilProcess;
import dev.vigil.testing.WebhookReceiver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil replay} over the bundled sample scenario, as a child process configured by environment
 * variables, delivering to a real HTTP receiver that verifies every signature.
 */
class ReplayEndToEndTest {

    private static final String SECRET = "e2e-secret-0123456789abcdef";

    /** What the sample day must produce; see the closing note of the foundation issue for the why of each. */
    private static final Map<String, Long> EXPECTED = new TreeMap<>(Map.of(
            "known_person", 1L, "unknown_face", 3L, "suspected_match", 1L, "visit_update", 1L));

    @TempDir
    Path dir;

    private Map<String, String> env(WebhookReceiver receiver, String run) {
        return Map.of("VIGIL_WEBHOOK_URL", receiver.url(), "VIGIL_WEBHOOK_SECRET", SECRET,
                "VIGIL_DATA_DIR", dir.resolve(run + "/data").toString(), "VIGIL_CONSOLE_ENABLED", "false",
                "VIGIL_DELIVERY_RETRY_INITIAL", "10ms", "VIGIL_DELIVERY_REPLAY_WINDOW", "500ms");
    }

    @Test
    void sampleScenarioGivesTheExpectedSignedAlertsWithTheSameIdsEveryTime() throws Exception {
        try (WebhookReceiver first = new WebhookReceiver(SECRET); WebhookReceiver second = new WebhookReceiver(SECRET)) {
            VigilProcess.Result run1 = VigilProcess.run(dir.resolve("1"), env(first, "1"), "replay",
                    Fixtures.SCENARIO.toString());
            VigilProcess.Result run2 = VigilProcess.run(dir.resolve("2"), env(second, "2"), "replay",
                    Fixtures.SCENARIO.getParent().toString());

            assertEquals(0, run1.exitCode(), run1.err());
            assertEquals(0, run2.exitCode(), run2.err());
            assertTrue(first.requests().stream().allMatch(WebhookReceiver.Request::signatureValid));
            assertTrue(first.requests().stream().allMatch(r -> r.json().get("replayed").asBoolean()),
                    "replayed alerts say so");
            assertEquals(EXPECTED, countByType(first.requests()));
            assertEquals(ids(first.requests()), ids(second.requests()), "same records, same alert ids");
            assertTrue(run1.out().contains("58 records, 57 observations, 6 alerts; 6 deliveries, 1 dead letters"), run1.out());
            assertEquals(1, Fixtures.files(dir.resolve("1/data/dead-letters/record")).size());

            String visitUpdated = first.requests().stream().map(WebhookReceiver.Request::json)
                    .filter(a -> a.get("type").asText().equals("visit_update")).findFirst().orElseThrow()
                    .get("visit").get("id").asText();
            assertEquals(2, first.requests().stream().map(WebhookReceiver.Request::json)
                    .filter(a -> a.get("visit").get("id").asText().equals(visitUpdated)).count(),
                    "the visit_update carries the visit id of the unknown_face alert it resolves");
        }
    }

    @Test
    void undeliverableAlertsAreDeadLetteredAndReplayStillFinishes() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET).alwaysRespond(503)) {
            VigilProcess.Result run = VigilProcess.run(dir.resolve("1"), env(receiver, "1"), "replay",
                    Fixtures.SCENARIO.toString());
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(6, Fixtures.files(dir.resolve("1/data/dead-letters/alert-webhook")).size());
            assertTrue(receiver.requests().size() >= 3, "the first alert retried for its window (500 ms)");
            assertTrue(receiver.alertIds().size() <= 2, "then the circuit was open (vigil.breaker.failures = 3): the "
                    + "others were dead-lettered without waiting: " + receiver.alertIds().size());
        }
    }

    @Test
    void badArgumentsExitNonZeroWithAClearMessage() throws Exception {
        VigilProcess.Result none = VigilProcess.run(dir.resolve("a"), Map.of(), "replay");
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("replay needs at least one .jsonl file or directory"), none.err());

        VigilProcess.Result missing = VigilProcess.run(dir.resolve("b"), Map.of(), "replay", "no/such/day.jsonl");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no such file or directory: no/such/day.jsonl"), missing.err());

        VigilProcess.Result unknown = VigilProcess.run(dir.resolve("c"), Map.of(), "replya");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown command: replya"), unknown.err());
    }

    @Test
    void badHouseholdFileStopsStartUpNamingTheKey() throws Exception {
        Path household = Fixtures.write(dir.resolve("household.yaml"), """
                cameras:
                  - id: front-door
                    name: Front door
                    kvsStream: front-door-cam
                    thresholds:
                      matchThreshold: 95
                """);
        VigilProcess.Result run = VigilProcess.run(dir.resolve("1"), Map.of("VIGIL_CONFIG", household.toString()),
                "replay", Fixtures.SCENARIO.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("cameras[0].thresholds: unknown key \"matchThreshold\""), run.err());
        assertFalse(run.err().contains("\tat "), "a message, not a stack trace: " + run.err());
    }

    @Test
    void webhookWithoutSecretIsRefused() throws Exception {
        VigilProcess.Result run = VigilProcess.run(dir.resolve("1"), Map.of("VIGIL_WEBHOOK_URL", "http://127.0.0.1:9/hook"),
                "replay", Fixtures.SCENARIO.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("VIGIL_WEBHOOK_SECRET"), run.err());
    }

    private static Map<String, Long> countByType(List<WebhookReceiver.Request> requests) {
        return requests.stream().collect(Collectors.groupingBy(r -> r.json().get("type").asText(), TreeMap::new,
                Collectors.counting()));
    }

    private static List<String> ids(List<WebhookReceiver.Request> requests) {
        return requests.stream().map(r -> r.json().get("id").asText()).sorted().toList();
    }
}
