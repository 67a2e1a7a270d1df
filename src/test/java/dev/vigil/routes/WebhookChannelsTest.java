package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Vigil;
import dev.vigil.config.ConfigException;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several webhooks from the household file: presets, filters, secrets from files, isolation. */
class WebhookChannelsTest {

    private static final String SECRET = "channels-secret-0123456789";

    @TempDir
    Path dir;

    private Path household(String channels) {
        return Fixtures.exampleHouseholdWith(dir, channels);
    }

    private Path file(String name, String content) {
        return Fixtures.write(dir.resolve(name), content);
    }

    @Test
    void eachPresetRendersTheAlertsItsFilterLetThrough() throws Exception {
        try (WebhookReceiver ha = new WebhookReceiver(SECRET); WebhookReceiver slack = new WebhookReceiver(SECRET);
             WebhookReceiver ntfy = new WebhookReceiver(SECRET)) {
            Path config = household("""
                    channels:
                      webhooks:
                        - name: home-assistant
                          url: %s
                          secretFile: %s
                          preset: home-assistant
                        - name: slack
                          urlFile: %s
                          preset: slack
                          filter:
                            types: [unknown_face]
                            cameras: [driveway, back-garden]
                        - name: phone
                          url: %s
                          preset: ntfy
                          filter:
                            minSeverity: warning
                    """.formatted(ha.url(), file("ha-secret", SECRET + "\n"), file("slack-url", slack.url()), ntfy.url()));
            try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.config", config.toString()))) {
                vigil.sampleDay();
            }
            assertEquals(6, ha.requests().size(), "no filter: all six alerts of the day");
            JsonNode first = ha.requests().get(0).json();
            assertEquals("vigil_alert", first.get("event").asText());
            assertEquals("known_person", first.get("type").asText());
            assertEquals("alice", first.get("person").asText());
            assertEquals("Alice at Front door, 07:45", first.get("title").asText());
            assertTrue(ha.requests().stream().allMatch(WebhookReceiver.Request::signatureValid), "signed with its secret");

            assertEquals(2, slack.requests().size(), "unknown faces on the driveway and in the garden only");
            assertTrue(slack.requests().get(0).json().get("text").asText().startsWith("Unknown person at Driveway, 11:32"));
            assertEquals(null, slack.requests().get(0).headers().get("X-Vigil-Signature"), "no secret, no signature");

            assertEquals(3, ntfy.requests().size(), "warnings and above: the three unknown faces");
            WebhookReceiver.Request push = ntfy.requests().get(0);
            assertEquals("Unknown person at Driveway, 11:32", push.headers().get("Title"));
            assertEquals("high", push.headers().get("Priority"));
            assertTrue(new String(push.body(), StandardCharsets.UTF_8).startsWith("Unknown person at Driveway, 11:32"));
        }
    }

    @Test
    void aDeadWebhookNeitherDelaysNorFailsTheOthers() throws Exception {
        try (WebhookReceiver dead = new WebhookReceiver(SECRET).hang(); WebhookReceiver alive = new WebhookReceiver(SECRET)) {
            Path config = household("""
                    channels:
                      webhooks:
                        - name: dead
                          url: %s
                          secretFile: %s
                        - name: alive
                          url: %s
                          secretFile: %s
                    """.formatted(dead.url(), file("s1", SECRET), alive.url(), file("s2", SECRET)));
            long[] aliveAt = new long[1];
            try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.config", config.toString(),
                    "vigil.webhook.response-timeout-ms", "1500", "vigil.delivery.replay-window", "2s",
                    "vigil.delivery.retry-initial", "10ms"))) {
                List<String> lines = Fixtures.lines(Fixtures.SCENARIO).subList(0, 2); // Alice's first two frames
                vigil.record(lines.get(0), "sample#0");
                Thread watcher = new Thread(() -> {
                    while (alive.requests().isEmpty()) {
                        Thread.onSpinWait();
                    }
                    aliveAt[0] = System.nanoTime();
                });
                watcher.start();
                long sent = System.nanoTime();
                vigil.record(lines.get(1), "sample#1");
                long handled = System.nanoTime();
                watcher.join(5000);
                assertEquals(1, alive.requests().size());
                assertTrue(aliveAt[0] - sent < handled - sent, "the live webhook had its alert before the dead one gave up");
                System.out.printf("isolation: alive webhook after %d ms, record handled (dead one dead-lettered) after %d ms%n",
                        (aliveAt[0] - sent) / 1_000_000, (handled - sent) / 1_000_000);
            }
            List<Path> letters = Fixtures.files(dir.resolve("data/dead-letters/alert-dead"));
            assertEquals(1, letters.size(), "the dead webhook's copy is dead-lettered under its own kind");
            assertTrue(Files.readString(letters.get(0)).contains("\"type\" : \"known_person\""));
            assertTrue(Fixtures.files(dir.resolve("data/dead-letters/alert-alive")).isEmpty());
        }
    }

    @Test
    void aSecretNamedByAnUnsetVariableStopsStartUpNamingTheKey() {
        Path config = household("""
                channels:
                  webhooks:
                    - name: ha
                      url: http://127.0.0.1:9/hook
                      secretEnv: VIGIL_TEST_SECRET_THAT_IS_NOT_SET
                """);
        Exception e = assertThrows(Exception.class,
                () -> new RunningVigil(dir.resolve("data"), Map.of("vigil.config", config.toString())));
        ConfigException problem = Vigil.configProblem(e);
        assertNotNull(problem, e.toString());
        assertTrue(problem.getMessage().contains("channels.webhooks[0].secretEnv: the environment variable "
                + "VIGIL_TEST_SECRET_THAT_IS_NOT_SET is not set"), problem.getMessage());
    }

    @Test
    void anUnsignedAlertV1WebhookIsRefused() {
        Path config = household("""
                channels:
                  webhooks:
                    - name: raw
                      url: http://127.0.0.1:9/hook
                """);
        ConfigException problem = Vigil.configProblem(assertThrows(Exception.class,
                () -> new RunningVigil(dir.resolve("data"), Map.of("vigil.config", config.toString()))));
        assertNotNull(problem);
        assertTrue(problem.getMessage().contains("channels.webhooks[0]: an alert-v1 webhook is signed"), problem.getMessage());
    }
}
