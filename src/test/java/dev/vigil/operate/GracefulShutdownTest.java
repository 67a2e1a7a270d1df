package dev.vigil.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.Emulators;
import dev.vigil.testing.Moto;
import dev.vigil.testing.Streams;
import dev.vigil.testing.VigilProcess;
import dev.vigil.testing.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while an alert is in flight to a slow receiver: Vigil (profile aws, a real child process reading the
 * emulator's Kinesis) stops taking records, finishes the alert in hand, checkpoints and exits 0 within
 * vigil.shutdown.grace; after a restart every alert `vigil replay` gives for the same records has been delivered.
 */
@ExtendWith(Emulators.class)
class GracefulShutdownTest {

    private static final String SECRET = "shutdown-secret-0123456789";
    private static final int GRACE_SECONDS = 20;

    Moto moto; // the shared emulator, emptied before each test (Emulators)
    @TempDir
    Path dir;

    @Test
    void sigtermWithAnAlertInFlightLosesNothingAndExitsZeroWithinTheGrace() throws Exception {
        Set<String> expected = VigilProcess.replayedAlertIdsOfSampleDay(dir, SECRET);

        try (Streams streams = Streams.withSampleDay(moto);
             WebhookReceiver receiver = new WebhookReceiver(SECRET).slowAfter(1, 3000)) {
            Path run1 = Files.createDirectories(dir.resolve("run1"));
            int port = Moto.freePort();
            long started = System.nanoTime();
            Process first = VigilProcess.start(run1, env(receiver, port));
            List<String> notReady = new java.util.concurrent.CopyOnWriteArrayList<>();
            VigilProcess.awaitOrShow(Duration.ofSeconds(120), () -> ready(port, notReady), "readiness", run1);
            System.out.printf("start-to-ready (profile aws, kinesis source on moto): %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertTrue(notReady.stream().anyMatch(b -> b.contains("\"name\":\"kinesis-source\",\"status\":\"DOWN\"")
                    && b.contains("KCL is not reading (state INITIALIZING)")), "not ready while KCL starts, and why: "
                    + (notReady.isEmpty() ? "(never seen)" : notReady.get(notReady.size() - 1)));
            String up = readiness(port).body();
            assertTrue(up.contains("\"name\":\"kinesis-source\",\"status\":\"UP\""), up);
            VigilProcess.awaitOrShow(Duration.ofSeconds(120), () -> receiver.requests().size() >= 2, "a second alert in flight", run1);
            TimeUnit.MILLISECONDS.sleep(300); // the receiver is sitting on the second alert for 3 s
            String inFlight = receiver.requests().get(1).headers().get("X-Vigil-Alert-Id");

            long term = System.nanoTime();
            first.destroy(); // SIGTERM
            assertTrue(first.waitFor(GRACE_SECONDS + 10, TimeUnit.SECONDS), "exits after SIGTERM");
            long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - term);
            String err1 = VigilProcess.read(run1.resolve("stderr.txt"));
            Files.writeString(Path.of("target/graceful-shutdown-run1.log"), err1); // kept for reading after CI
            assertEquals(0, first.exitValue(), err1);
            assertTrue(stopMs < GRACE_SECONDS * 1000L, "stopped within the grace: " + stopMs + " ms");
            assertTrue(err1.contains("alert sent id=" + inFlight), "the alert in flight was finished, not dropped:\n" + err1);
            assertTrue(err1.contains("stopped, checkpointed"), err1);
            assertFalse(err1.contains("did not finish"), err1);
            int beforeRestart = receiver.requests().size();
            assertTrue(beforeRestart < expected.size(), "stopped mid-burst: " + beforeRestart);
            System.out.printf("SIGTERM: stopped in %d ms, %d of %d alerts delivered before it%n", stopMs,
                    beforeRestart, expected.size());

            receiver.slowAfter(0, 0);
            Path run2 = Files.createDirectories(dir.resolve("run2"));
            int port2 = Moto.freePort();
            long restarted = System.nanoTime();
            Process second = VigilProcess.start(run2, env(receiver, port2));
            try {
                VigilProcess.awaitOrShow(Duration.ofSeconds(120), () -> ready(port2), "readiness after the restart", run2);
                System.out.printf("start-to-ready on a restart (leases and checkpoints exist): %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
                VigilProcess.awaitOrShow(Duration.ofSeconds(120), () -> receiver.alertIds().containsAll(expected),
                        "every expected alert after the restart", run2);
            } finally {
                second.destroy();
                assertTrue(second.waitFor(GRACE_SECONDS + 10, TimeUnit.SECONDS));
            }
            assertEquals(0, second.exitValue());
            Set<String> all = new TreeSet<>(receiver.alertIds());
            all.addAll(deadLettered(dir.resolve("data")));
            assertTrue(all.containsAll(expected), "delivered or dead-lettered: " + all + " expected " + expected);
            assertEquals(expected, new TreeSet<>(receiver.alertIds()), "the same ids as replay, and no others");
            assertTrue(receiver.requests().stream().allMatch(WebhookReceiver.Request::signatureValid));
        }
    }

    private Map<String, String> env(WebhookReceiver receiver, int port) {
        Map<String, String> env = new HashMap<>(moto.awsProfileEnv());
        env.put("VIGIL_PROCESSORS_ENABLED", "false"); // moto has no Rekognition: its readiness check would stay down
        env.put("VIGIL_API_ENABLED", "true"); // the health detail (why not ready) needs the API token
        env.put("VIGIL_API_TOKEN", HEALTH_TOKEN);
        env.putAll(Map.of(
                "VIGIL_CONFIG", Fixtures.exampleHouseholdForLiveSources(dir).toString(),
                "VIGIL_WEBHOOK_URL", receiver.url(), "VIGIL_WEBHOOK_SECRET", SECRET,
                "VIGIL_DATA_DIR", dir.resolve("data").toString(), "VIGIL_KINESIS_WORKER_ID", "shutdown-test",
                "VIGIL_HTTP_PORT", Integer.toString(port), "VIGIL_SHUTDOWN_GRACE", Integer.toString(GRACE_SECONDS)));
        return env;
    }

    private static final String HEALTH_TOKEN = "shutdown-health-token-0123456789";

    /** The readiness answer with its detail (each check and why), for the API bearer token. */
    private static java.net.http.HttpResponse<String> readiness(int port) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .header("Authorization", "Bearer " + HEALTH_TOKEN).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static boolean ready(int port) {
        return ready(port, new java.util.ArrayList<>());
    }

    /** Whether readiness answers 200; the bodies of 503 answers are kept. */
    private static boolean ready(int port, List<String> notReady) {
        try {
            var r = readiness(port);
            if (r.statusCode() != 200) {
                notReady.add(r.body());
            }
            return r.statusCode() == 200;
        } catch (Exception notListeningYet) {
            return false;
        }
    }



    private static Set<String> deadLettered(Path data) throws Exception {
        Set<String> ids = new TreeSet<>();
        for (Path f : Fixtures.files(data.resolve("dead-letters/alert-webhook"))) {
            ids.add(new ObjectMapper().readTree(f.toFile()).get("payload").get("id").asText());
        }
        return ids;
    }

}
