package dev.vigil.bench;

import dev.vigil.Json;
import dev.vigil.VigilRuntime;
import dev.vigil.history.AlertQuery;
import dev.vigil.history.AlertRecord;
import dev.vigil.history.EmbeddedHistoryStore;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.HistoryWriter;
import dev.vigil.history.Page;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Face;
import dev.vigil.model.Severity;
import dev.vigil.sample.ScenarioGenerator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.util.FileUtil;

/**
 * {@code vigil bench history [N] [ROUNDS] [STORED]}: what the alert history costs and how fast it answers.
 * <ol>
 *   <li>decision throughput with the history on and off: N generated records through the real routes
 *   (channels off), rounds alternating off/on, each on a fresh runtime and an empty embedded history;</li>
 *   <li>the worst case: N/10 alerts handed straight to the deliver route (every one is written), on vs off,
 *   and how long the writer then needs to have all of them on disk;</li>
 *   <li>query latency over STORED alerts (default 100,000) in the embedded store: p50/p95/p99 of the API's
 *   queries (first page, filters, a deep cursor page, one alert by id).</li>
 * </ol>
 * Figures: BENCHMARKS.md.
 */
public final class HistoryBenchmark {

    private HistoryBenchmark() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        int n = args.isEmpty() ? 100_000 : Integer.parseInt(args.get(0));
        int rounds = args.size() < 2 ? 3 : Integer.parseInt(args.get(1));
        int stored = args.size() < 3 ? 100_000 : Integer.parseInt(args.get(2));
        Path dir = Files.createTempDirectory("vigil-bench-history");
        List<String> records = ScenarioGenerator.bench(n);
        out.printf("history bench: %d records, %d rounds, %d stored alerts; %d cores, %s %s%n", n, rounds, stored,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        double[] bestRecords = new double[2];
        double[] bestAlerts = new double[2];
        for (int round = 1; round <= rounds; round++) {
            for (int on = 0; on <= 1; on++) {
                Result r = throughRoutes(records, n / 10, on == 1, dir.resolve("r" + round + "-" + on));
                bestRecords[on] = Math.max(bestRecords[on], r.recordsPerSecond);
                bestAlerts[on] = Math.max(bestAlerts[on], r.alertsPerSecond);
                out.printf("round %d, history %s: decision routes %,.0f records/s (%d alerts recorded); deliver route"
                                + " %,.0f alerts/s%s%n", round, on == 1 ? "on " : "off", r.recordsPerSecond, r.recorded,
                        r.alertsPerSecond, on == 1 ? String.format(", all %d written after %.2f s", r.written,
                                r.drainSeconds) : "");
            }
        }
        out.printf("best: decision routes %,.0f records/s off, %,.0f on (%.1f%% of off); deliver route %,.0f alerts/s"
                        + " off, %,.0f on (%.1f%%)%n", bestRecords[0], bestRecords[1], 100 * bestRecords[1] / bestRecords[0],
                bestAlerts[0], bestAlerts[1], 100 * bestAlerts[1] / bestAlerts[0]);
        queries(stored, dir.resolve("query"), out);
        return 0;
    }

    private record Result(double recordsPerSecond, long recorded, double alertsPerSecond, long written,
                          double drainSeconds) {
    }

    private static Result throughRoutes(List<String> records, int alerts, boolean history, Path dataDir)
            throws Exception {
        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.console.enabled", "false",
                "vigil.http.enabled", "false", "vigil.outbox.enabled", "false", "vigil.webhook.url", "",
                "vigil.history.enabled", Boolean.toString(history), "vigil.data.dir", dataDir.toString()));
        main.start();
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            HistoryWriter writer = main.getCamelContext().getRegistry().lookupByNameAndType("historyWriter",
                    HistoryWriter.class);
            long start = System.nanoTime();
            for (String r : records) {
                template.sendBody("direct:record", r);
            }
            double recordsPerSecond = rate(records.size(), start);
            await(writer);
            long recorded = writer == null ? 0 : writer.store().count();
            List<Alert> direct = new ArrayList<>(alerts);
            for (int i = 0; i < alerts; i++) {
                direct.add(alert(i));
            }
            start = System.nanoTime();
            for (Alert a : direct) {
                template.sendBody("direct:deliver", a);
            }
            double alertsPerSecond = rate(alerts, start);
            await(writer);
            double drain = (System.nanoTime() - start) / 1e9;
            return new Result(recordsPerSecond, recorded, alertsPerSecond, writer == null ? 0 : writer.store().count(),
                    drain);
        } finally {
            main.stop();
        }
    }

    private static void await(HistoryWriter writer) throws InterruptedException {
        if (writer != null && !writer.awaitEmpty(Duration.ofMinutes(5))) {
            throw new IllegalStateException("the history writer did not catch up within 5 minutes");
        }
    }

    private static Alert alert(int i) {
        Instant at = Instant.parse("2026-11-20T00:00:00Z").plusSeconds(i);
        return new Alert(Alert.VERSION, UUID.randomUUID().toString(), AlertType.UNKNOWN_FACE, Severity.WARNING,
                "bench", new Alert.Camera("cam-" + i % 4, "Camera " + i % 4, "bench"), null,
                new Alert.Visit("v" + i, at.minusSeconds(3), at, 3), at, at.plusSeconds(900), false, false,
                new Alert.FaceSummary(new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 99.0, 80.0, 60.0, 0.0, 0.0, 0.0), null);
    }

    /** Fills an embedded store with {@code stored} alerts, then times the API's kinds of query. */
    private static void queries(int stored, Path dir, PrintStream out) {
        Random random = new Random(7);
        String[] types = {"unknown_face", "known_person", "suspected_match", "unidentifiable_face"};
        String[] people = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
        Instant t0 = Instant.parse("2026-08-01T00:00:00Z");
        try (HistoryStore store = EmbeddedHistoryStore.open(dir, Json.mapper(), Clock.systemUTC())) {
            long start = System.nanoTime();
            List<AlertRecord> batch = new ArrayList<>(1000);
            for (int i = 0; i < stored; i++) {
                String type = types[random.nextInt(types.length)];
                boolean named = type.equals("known_person") || type.equals("suspected_match");
                String person = named ? people[random.nextInt(people.length)] : null;
                Instant at = t0.plusSeconds(i * 60L + random.nextInt(60));
                String camera = "cam-" + random.nextInt(6);
                batch.add(new AlertRecord("a-" + i, type, named ? "info" : "warning", "bench", camera, camera, person,
                        person, named ? 90.0 : null, at, new AlertRecord.VisitRecord("v-" + i, List.of(camera),
                        at.minusSeconds(5), at, 4, new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 80.0), false,
                        "stream-processor", Map.of(), List.of(), false, false, at));
                if (batch.size() == 1000) {
                    store.recordAll(batch);
                    batch.clear();
                }
            }
            store.recordAll(batch);
            out.printf("stored %,d alerts in %.1f s (%,.0f alerts/s in batches of 1000)%n", store.count(),
                    (System.nanoTime() - start) / 1e9, rate(stored, start));
            Instant end = t0.plusSeconds(stored * 60L);
            String deep = cursorAfter(store, 20);
            Map<String, Supplier<Object>> kinds = new java.util.LinkedHashMap<>();
            kinds.put("newest 50", () -> store.query(AlertQuery.all(50)));
            kinds.put("camera, 50", () -> store.query(new AlertQuery("cam-" + random.nextInt(6), null, null, null,
                    null, null, null, 50)));
            kinds.put("person, 50", () -> store.query(new AlertQuery(null, people[random.nextInt(people.length)], null,
                    null, null, null, null, 50)));
            kinds.put("type + last 7 days, 50", () -> store.query(new AlertQuery(null, null, types[random.nextInt(4)],
                    null, end.minus(Duration.ofDays(7)), null, null, 50)));
            kinds.put("rare: person + camera + type, 50", () -> store.query(new AlertQuery("cam-1", "heidi",
                    "suspected_match", null, null, null, null, 50)));
            kinds.put("page 21 (cursor), 50", () -> store.query(AlertQuery.all(50).after(deep)));
            kinds.put("one alert by id", () -> store.get("a-" + random.nextInt(stored)));
            for (var kind : kinds.entrySet()) {
                for (int i = 0; i < 200; i++) {
                    kind.getValue().get(); // warm-up
                }
                long[] nanos = new long[1000];
                for (int i = 0; i < nanos.length; i++) {
                    long s = System.nanoTime();
                    kind.getValue().get();
                    nanos[i] = System.nanoTime() - s;
                }
                Arrays.sort(nanos);
                out.printf("query %-34s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms%n", kind.getKey(), nanos[500] / 1e6,
                        nanos[950] / 1e6, nanos[990] / 1e6);
            }
        } finally {
            FileUtil.removeDir(dir.toFile());
        }
    }

    private static String cursorAfter(HistoryStore store, int pages) {
        AlertQuery q = AlertQuery.all(50);
        Page page = store.query(q);
        for (int i = 1; i < pages; i++) {
            page = store.query(q.after(page.next()));
        }
        return page.next();
    }

    private static double rate(int count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }
}
