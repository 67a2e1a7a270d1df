package dev.vigil.ingest.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two Vigil processes on the same streams split the shards (KCL leases in DynamoDB) and alert once. */
@ExtendWith(Emulators.class)
class KinesisScaleOutTest {

    private static final String SECRET = "scale-secret-0123456789";

    @TempDir
    Path dir;
    Moto moto; // the shared emulator, emptied before each test (Emulators)


    @Test
    void twoInstancesSplitTheShardsAndProduceEachAlertOnce() throws Exception {
        String split;
        try (Streams streams = new Streams(moto.endpoint()); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            streams.createSampleResultsStreams();
            Process a = VigilProcess.start(Files.createDirectories(dir.resolve("a")), env(receiver, "worker-a"));
            Process b = VigilProcess.start(Files.createDirectories(dir.resolve("b")), env(receiver, "worker-b"));
            try {
                try {
                    Streams.await(Duration.ofSeconds(150), () -> owned("a") >= 1 && owned("b") >= 1
                            && owned("a") + owned("b") == Streams.SAMPLE_CAMERAS.size(), "both instances holding shards, 3 in all");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n--- a:\n" + VigilProcess.read(dir.resolve("a/stderr.txt"))
                            + "\n--- b:\n" + VigilProcess.read(dir.resolve("b/stderr.txt")), e);
                }
                Streams.holds(Duration.ofSeconds(3), () -> owned("a") + owned("b") == Streams.SAMPLE_CAMERAS.size(),
                        "leases settled");
                split = owned("a") + " and " + owned("b");
                Streams.sampleDayOfCameras().forEach(streams::putToResultsStream);
                Streams.await(Duration.ofSeconds(60), () -> receiver.requests().size() >= 5, "the day's 5 alerts");
                Streams.holds(Duration.ofSeconds(3), () -> receiver.requests().size() == 5, "no duplicate arrives");
            } finally {
                a.destroy();
                b.destroy();
                a.waitFor(30, TimeUnit.SECONDS);
                b.waitFor(30, TimeUnit.SECONDS);
            }
            assertEquals(5, receiver.requests().size(), "each alert once");
            assertEquals(5, receiver.requests().stream().map(r -> r.headers().get("X-Vigil-Alert-Id")).distinct().count());
            System.out.printf("scale-out test: the two instances held %s of the 3 shards%n", split);
        }
    }

    /** Shards an instance holds now, from its log: started minus moved away. */
    private int owned(String instance) {
        try {
            String log = VigilProcess.read(dir.resolve(instance).resolve("stderr.txt"));
            return count(log, " starts after ") - count(log, " moved to another instance");
        } catch (Exception e) {
            return 0;
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private Map<String, String> env(WebhookReceiver receiver, String worker) {
        Map<String, String> env = new HashMap<>(moto.awsProfileEnv());
        env.putAll(Map.of(
                "VIGIL_CONFIG", Fixtures.exampleHouseholdForLiveSources(dir).toString(),
                "VIGIL_WEBHOOK_URL", receiver.url(), "VIGIL_WEBHOOK_SECRET", SECRET,
                "VIGIL_DATA_DIR", dir.resolve(worker).toString(), "VIGIL_KINESIS_WORKER_ID", worker,
                "VIGIL_KINESIS_FAILOVER_TIME_MS", "3000"));
        return env;
    }
}
