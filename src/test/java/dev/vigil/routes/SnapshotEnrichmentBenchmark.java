package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.testing.Fixtures;
import dev.vigil.testing.KvsFake;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (the name keeps it out of the suite): what video enrichment adds to an alert's delivery on
 * loopback, against the KVS fake with a real 1280x720 JPEG. Run with
 * {@code ./mvnw -B -o verify -Dtest=SnapshotEnrichmentBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SnapshotEnrichmentBenchmark {

    static final int ALERTS = 300;

    @TempDir
    Path dir;

    @Test
    void deliveryLatencyWithAndWithoutSnapshots() throws Exception {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (KvsFake kvs = KvsFake.start(); WebhookReceiver hook = new WebhookReceiver(VideoEnrichmentTest.SECRET)) {
            Instant at = VideoEnrichmentTest.frameTime();
            kvs.frame(VideoEnrichmentTest.STREAM, at, KvsFake.jpeg(1280, 720, new java.awt.Color(40, 60, 80),
                    new java.awt.Rectangle(500, 200, 200, 260), new java.awt.Color(220, 180, 150)));
            Path secret = Fixtures.write(dir.resolve("secret"), VideoEnrichmentTest.SECRET);
            Path household = Fixtures.exampleHouseholdWith(dir, Fixtures.privateHomeWebhook(hook.url(), secret, ""));
            for (int round = 1; round <= 2; round++) {
                for (String mode : new String[] {"off", "snapshot-nobox", "snapshot", "snapshot+clip"}) {
                    Map<String, String> props = Map.of("vigil.config", household.toString(),
                            "vigil.snapshot.enabled", Boolean.toString(!mode.equals("off")),
                            "vigil.clip.enabled", Boolean.toString(mode.equals("snapshot+clip")),
                            "vigil.aws.endpoints.kinesisvideo", kvs.url(), "vigil.http.port", Integer.toString(Moto.freePort()),
                            "vigil.snapshot.width", "0", "vigil.snapshot.height", "0",
                            "vigil.snapshot.draw-face-box", Boolean.toString(!mode.equals("snapshot-nobox")));
                    long[] ms = new long[ALERTS];
                    int before = hook.requests().size();
                    try (RunningVigil vigil = new RunningVigil(dir.resolve("data-" + mode + round), props)) {
                        for (int i = 0; i < ALERTS; i++) {
                            long start = System.nanoTime();
                            vigil.deliver(VideoEnrichmentTest.alert(at));
                            ms[i] = System.nanoTime() - start;
                        }
                    }
                    assertEquals(ALERTS, hook.requests().size() - before);
                    Arrays.sort(ms);
                    System.out.printf("BENCH round %d %-14s alerts %d  median %.1f ms  p95 %.1f ms  max %.1f ms%n", round, mode,
                            ALERTS, ms[ALERTS / 2] / 1e6, ms[ALERTS * 95 / 100] / 1e6, ms[ALERTS - 1] / 1e6);
                }
            }
        }
    }
}
