package dev.vigil.ingest.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.Fixtures;
import dev.vigil.testing.KclLeases;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * At least once across a crash: Vigil (profile aws, a real child process) is killed with SIGKILL in the
 * middle of a burst of the sample day's records, then started again. Every alert that `vigil replay` gives
 * for the same records must reach the receiver, with the same ids.
 */
@ExtendWith(Emulators.class)
class KinesisCrashTest {

    private static final String SECRET = "crash-secret-0123456789";

    @TempDir
    Path dir;
    Moto moto; // the shared emulator, emptied before each test (Emulators)

    @Test
    void killDashNineMidBurstThenRestartDeliversEveryExpectedAlertId() throws Exception {
        Set<String> expected = VigilProcess.replayedAlertIdsOfSampleDay(dir, SECRET);

        try (Streams streams = Streams.withSampleDay(moto);
             WebhookReceiver receiver = new WebhookReceiver(SECRET).slowAfter(1, 1500)) {
            KclLeases.create(moto.endpoint(), "vigil", Streams.SAMPLE_RESULTS_STREAMS); // as after a first start
            Process first = VigilProcess.start(Files.createDirectories(dir.resolve("run1")), env(receiver));
            VigilProcess.awaitOrShow(Duration.ofSeconds(120), () -> receiver.requests().size() >= 2, "a second alert in flight",
                    dir.resolve("run1"));
            TimeUnit.MILLISECONDS.sleep(200);
            first.destroyForcibly(); // SIGKILL mid-burst: no shutdown hook, no graceful checkpoint
            assertTrue(first.waitFor(10, TimeUnit.SECONDS));
            int beforeCrash = receiver.requests().size();
            assertTrue(beforeCrash < expected.size(), "killed mid-burst: " + beforeCrash + " of " + expected.size());

            Process second = VigilProcess.start(Files.createDirectories(dir.resolve("run2")), env(receiver));
            try {
                VigilProcess.awaitOrShow(Duration.ofSeconds(120), () -> receiver.alertIds().containsAll(expected),
                        "every expected alert id after the restart", dir.resolve("run2"));
                Streams.holds(Duration.ofSeconds(3), () -> receiver.alertIds().equals(expected), "no other alert arrives");
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            assertEquals(expected, receiver.alertIds(), "the same ids as replay, and no others");
            String acknowledged = receiver.requests().get(0).headers().get("X-Vigil-Alert-Id");
            assertEquals(1, receiver.requests().stream()
                    .filter(r -> r.headers().get("X-Vigil-Alert-Id").equals(acknowledged)).count(),
                    "an alert the receiver acknowledged before the crash is not sent again");
            System.out.printf("kill -9 test: %d alerts before the kill, %d deliveries in all for %d alerts: %s%n",
                    beforeCrash, receiver.requests().size(), expected.size(), receiver.requests().stream()
                            .map(r -> r.headers().get("X-Vigil-Alert-Id").substring(0, 8)).toList());
            assertTrue(receiver.requests().stream().allMatch(WebhookReceiver.Request::signatureValid));
        }
    }


    private Map<String, String> env(WebhookReceiver receiver) {
        Map<String, String> env = new HashMap<>(moto.awsProfileEnv());
        env.putAll(Map.of(
                "VIGIL_CONFIG", Fixtures.exampleHouseholdForLiveSources(dir).toString(),
                "VIGIL_WEBHOOK_URL", receiver.url(), "VIGIL_WEBHOOK_SECRET", SECRET,
                "VIGIL_DATA_DIR", dir.resolve("data").toString(), "VIGIL_KINESIS_WORKER_ID", "crash-test"));
        return env;
    }

}
