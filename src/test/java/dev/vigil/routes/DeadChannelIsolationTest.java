package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.model.Alert;
import dev.vigil.testing.Alerts;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead channel (one refusing connections, one hanging) beside a healthy webhook: the healthy webhook's
 * delivery latency does not grow, and ingestion (each alert's hand-over, which for alerts retried in place, as
 * here, waits for every channel) is slowed only until the dead channels' circuits open, then runs at the healthy
 * pace. (Alerts of a live source do not wait even then: DeliveryFaultTest.)
 */
class DeadChannelIsolationTest {

    private static final String SECRET = "isolation-secret-0123456789";
    private static final int ALERTS = 20;

    @TempDir
    Path dir;

    /** Per alert: [ms until the healthy receiver had it, ms until deliver() returned]. */
    private long[][] run(String name, String channels, WebhookReceiver healthy) throws Exception {
        Path data = dir.resolve(name);
        Map<String, String> props = new HashMap<>(Map.of(
                "vigil.config", Fixtures.exampleHouseholdWith(data, channels).toString(),
                "vigil.delivery.retry-initial", "10ms", "vigil.delivery.replay-window", "300ms",
                "vigil.webhook.connect-timeout-ms", "500", "vigil.webhook.response-timeout-ms", "500",
                "vigil.breaker.failures", "2", "vigil.breaker.open-for", "60s"));
        long[][] times = new long[ALERTS][2];
        int before = healthy.requests().size();
        try (RunningVigil vigil = new RunningVigil(data.resolve("data"), props)) {
            for (int i = 0; i < ALERTS; i++) {
                Alert alert = Alerts.unknownFace();
                long start = System.nanoTime();
                vigil.deliver(alert);
                long handed = System.nanoTime();
                WebhookReceiver.Request got = healthy.requests().get(before + i);
                assertEquals(alert.id(), got.headers().get("X-Vigil-Alert-Id"), "healthy webhook: every alert, in order");
                times[i] = new long[] {(got.at() - start) / 1_000_000, (handed - start) / 1_000_000};
            }
        }
        return times;
    }

    @Test
    void aDeadChannelDoesNotDelayTheHealthyOneAndIngestionKeepsGoing() throws Exception {
        try (WebhookReceiver healthy = new WebhookReceiver(SECRET); WebhookReceiver hanging = new WebhookReceiver(SECRET).hang();
             WebhookReceiver closed = new WebhookReceiver(SECRET)) {
            String refusedUrl = closed.url();
            closed.close();
            Path secret = Fixtures.write(dir.resolve("secret"), SECRET);
            String healthyOnly = """
                    channels:
                      webhooks:
                        - name: healthy
                          url: %s
                          secretFile: %s
                    """.formatted(healthy.url(), secret);
            String withDead = healthyOnly + """
                        - name: refused
                          url: %s
                          secretFile: %s
                        - name: hanging
                          url: %s
                          secretFile: %s
                    """.formatted(refusedUrl, secret, hanging.url(), secret);

            long[][] alone = run("alone", healthyOnly, healthy);
            long[][] beside = run("beside", withDead, healthy);

            long p50Alone = p50(alone, 0, 0);
            long p50Beside = p50(beside, 0, 0);
            long handOverAlone = p50(alone, 1, 0);
            long handOverOpen = p50(beside, 1, 2);
            long firstTwo = beside[0][1] + beside[1][1];
            System.out.printf("isolation: healthy webhook p50 %d ms alone, %d ms beside a refused and a hanging webhook "
                            + "(max %d ms); hand-over p50 %d ms alone, %d ms once the dead circuits are open; the first two "
                            + "alerts (retry budget until the circuits open) took %d ms together%n",
                    p50Alone, p50Beside, Arrays.stream(beside).mapToLong(t -> t[0]).max().orElse(0), handOverAlone,
                    handOverOpen, firstTwo);

            assertTrue(p50Beside <= Math.max(3 * p50Alone, p50Alone + 100),
                    "healthy latency did not grow: " + p50Alone + " ms alone, " + p50Beside + " ms beside dead channels");
            assertTrue(handOverOpen <= Math.max(3 * handOverAlone, handOverAlone + 100),
                    "after the circuits open, ingestion is back at the healthy pace: " + handOverOpen + " ms");
            assertTrue(firstTwo >= 2 * 500, "before, each alert waited for the hanging webhook's timeout");
            assertEquals(2 * ALERTS, healthy.requests().size());

            for (String dead : List.of("refused", "hanging")) {
                List<String> reasons = new ArrayList<>();
                for (Path p : Fixtures.files(dir.resolve("beside/data/dead-letters/alert-" + dead))) {
                    reasons.add(new ObjectMapper().readTree(p.toFile()).get("reason").asText());
                }
                assertEquals(ALERTS, reasons.size(), dead + ": every alert kept for vigil redeliver");
                assertTrue(reasons.stream().filter("circuit open"::equals).count() >= ALERTS - 2, dead + ": " + reasons);
            }
        }
    }

    /** The median of column {@code col}, from row {@code from} on. */
    private static long p50(long[][] times, int col, int from) {
        long[] v = Arrays.stream(times).skip(from).mapToLong(t -> t[col]).sorted().toArray();
        return v[v.length / 2];
    }
}
