package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.Fixtures;
import dev.vigil.testing.VigilProcess;
import dev.vigil.testing.WebhookReceiver;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil redeliver CHANNEL} re-sends a channel's dead letters once it is healthy, with the same ids. */
class RedeliverTest {

    private static final String SECRET = "redeliver-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void deadLetteredAlertsAreResentWithTheirIdsOnceTheReceiverIsBack() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET).alwaysRespond(503)) {
            Map<String, String> env = new HashMap<>(Map.of("VIGIL_WEBHOOK_URL", receiver.url(),
                    "VIGIL_WEBHOOK_SECRET", SECRET, "VIGIL_DATA_DIR", dir.resolve("data").toString(),
                    "VIGIL_CONSOLE_ENABLED", "false", "VIGIL_DELIVERY_REPLAY_WINDOW", "1s", "VIGIL_DELIVERY_RETRY_INITIAL", "50ms"));
            VigilProcess.Result replay = VigilProcess.run(dir.resolve("replay"), env, "replay", Fixtures.SCENARIO.toString());
            assertEquals(0, replay.exitCode(), replay.err());
            Path letters = dir.resolve("data/dead-letters/alert-webhook");
            assertEquals(6, Fixtures.files(letters).size());
            int tried = receiver.requests().size();
            assertTrue(tried >= 3, "the first alert was retried for its window (1 s): " + tried);
            int sent = receiver.alertIds().size(); // 1, or 2 when the first try was slow (a busy machine)
            assertTrue(sent <= 2, "after 3 failed tries (vigil.breaker.failures) the circuit opened: the other alerts "
                    + "were dead-lettered without being sent: " + sent);
            List<String> failedIds = new java.util.ArrayList<>();
            for (Path letter : Fixtures.files(letters)) {
                failedIds.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(letter.toFile())
                        .get("payload").get("id").asText());
            }
            java.util.Collections.sort(failedIds);

            receiver.alwaysRespond(200);
            VigilProcess.Result redeliver = VigilProcess.run(dir.resolve("redeliver"), env, "redeliver", "webhook");
            assertEquals(0, redeliver.exitCode(), redeliver.err());
            assertTrue(redeliver.out().contains("redelivered 6 of 6 dead-lettered alerts of channel webhook"), redeliver.out());
            List<String> resentIds = receiver.requests().subList(tried, tried + 6).stream()
                    .map(r -> r.headers().get("X-Vigil-Alert-Id")).sorted().toList();
            assertEquals(failedIds, resentIds, "the same alert ids");
            assertTrue(receiver.requests().subList(tried, tried + 6).stream().allMatch(WebhookReceiver.Request::signatureValid));
            assertTrue(Fixtures.files(letters).isEmpty(), "delivered letters are removed");
        }
    }

    @Test
    void aChannelThatStillFailsKeepsItsLettersAndSaysSo() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET).alwaysRespond(503)) {
            Map<String, String> env = Map.of("VIGIL_WEBHOOK_URL", receiver.url(), "VIGIL_WEBHOOK_SECRET", SECRET,
                    "VIGIL_DATA_DIR", dir.resolve("data").toString(), "VIGIL_CONSOLE_ENABLED", "false",
                    "VIGIL_DELIVERY_REPLAY_WINDOW", "1s", "VIGIL_DELIVERY_RETRY_INITIAL", "50ms");
            VigilProcess.run(dir.resolve("replay"), env, "replay", Fixtures.SCENARIO.toString());
            VigilProcess.Result redeliver = VigilProcess.run(dir.resolve("redeliver"), env, "redeliver", "webhook");
            assertEquals(3, redeliver.exitCode(), redeliver.err());
            assertTrue(redeliver.out().contains("redelivered 0 of 6"), redeliver.out());
            assertEquals(6, Fixtures.files(dir.resolve("data/dead-letters/alert-webhook")).size());

            VigilProcess.Result unknown = VigilProcess.run(dir.resolve("unknown"), env, "redeliver", "pager");
            assertEquals(2, unknown.exitCode());
            assertTrue(unknown.err().contains("no channel named pager is configured"), unknown.err());
        }
    }
}
