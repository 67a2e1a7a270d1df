package dev.vigil.bench;

import dev.vigil.Json;
import dev.vigil.VigilRuntime;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.sample.ScenarioGenerator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * {@code vigil bench [N] [ROUNDS]}: pushes N generated records through the real decision routes (channels
 * off, so delivery stops at the route boundary) and, in the same run, parses the same records with Jackson
 * alone. Rounds alternate (parse, routes) so both get the same JIT warm-up; each routes round starts a fresh
 * runtime with an empty decision state. Prints every round and the best of each. See BENCHMARKS.md.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        if (!args.isEmpty() && args.get(0).equals("history")) {
            return HistoryBenchmark.run(args.subList(1, args.size()), out);
        }
        int n = args.isEmpty() ? 200_000 : Integer.parseInt(args.get(0));
        int rounds = args.size() < 2 ? 5 : Integer.parseInt(args.get(1));
        List<String> records = ScenarioGenerator.bench(n);
        out.printf("records: %d generated (avg %d bytes, 1 face each), %d cores, %s %s%n", records.size(),
                records.stream().mapToInt(String::length).sum() / records.size(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        List<Double> parse = new ArrayList<>();
        List<Double> routes = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            parse.add(parseOnly(parser, records));
            routes.add(throughRoutes(records));
            out.printf("round %d: parse only %,.0f records/s, decision routes %,.0f records/s%n", round,
                    parse.get(round - 1), routes.get(round - 1));
        }
        double bestParse = parse.stream().mapToDouble(d -> d).max().orElseThrow();
        double bestRoutes = routes.stream().mapToDouble(d -> d).max().orElseThrow();
        out.printf("best: parse only %,.0f records/s; decision routes %,.0f records/s; ratio %.2f%n", bestParse,
                bestRoutes, bestRoutes / bestParse);
        return 0;
    }

    private static double parseOnly(RekognitionRecordParser parser, List<String> records) {
        long start = System.nanoTime();
        long faces = 0;
        for (String r : records) {
            faces += parser.parse(r, null).size();
        }
        if (faces != records.size()) {
            throw new IllegalStateException("expected one face per record");
        }
        return rate(records.size(), start);
    }

    /** Routes with every channel off and an empty decision state: what the decision spine itself costs. */
    private static double throughRoutes(List<String> records) throws Exception {
        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.console.enabled", "false",
                "vigil.http.enabled", "false", "vigil.outbox.enabled", "false", "vigil.webhook.url", "", "vigil.data.dir", System.getProperty("java.io.tmpdir") + "/vigil-bench"));
        main.start();
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            long start = System.nanoTime();
            for (String r : records) {
                template.sendBody("direct:record", r);
            }
            return rate(records.size(), start);
        } finally {
            main.stop();
        }
    }

    private static double rate(int count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }
}
