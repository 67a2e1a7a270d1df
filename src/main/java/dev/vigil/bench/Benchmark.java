package dev.vigil.bench;

import dev.vigil.Json;
import dev.vigil.VigilRuntime;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.sample.ScenarioGenerator;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * {@code vigil bench [N]}: pushes N generated records through the real decision routes (channels off, so
 * delivery stops at the route boundary) and, in the same run, parses the same records with Jackson alone.
 * Prints records/s for both and their ratio. See BENCHMARKS.md.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        int n = args.isEmpty() ? 200_000 : Integer.parseInt(args.get(0));
        List<String> records = ScenarioGenerator.bench(n);
        out.printf("records: %d generated (avg %d bytes), %d cores, %s%n", records.size(),
                records.stream().mapToInt(String::length).sum() / records.size(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version"));

        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        long faces = parseAll(parser, records.subList(0, Math.min(records.size(), 20_000)));
        long start = System.nanoTime();
        faces = parseAll(parser, records);
        double parseRate = rate(records.size(), start);

        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.console.enabled", "false",
                "vigil.webhook.url", "", "vigil.data.dir", System.getProperty("java.io.tmpdir") + "/vigil-bench"));
        main.start();
        double routeRate;
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            // warm-up on the first records; their visits are long closed when the measured run reaches them
            records.subList(0, Math.min(records.size(), 20_000)).forEach(r -> template.sendBody("direct:record", r));
            start = System.nanoTime();
            for (String r : records) {
                template.sendBody("direct:record", r);
            }
            routeRate = rate(records.size(), start);
        } finally {
            main.stop();
        }
        out.printf("parse only (Jackson + parser, no routes): %,.0f records/s (%d faces)%n", parseRate, faces);
        out.printf("decision routes (parse, classify, visits, policy, deliver with channels off): %,.0f records/s%n",
                routeRate);
        out.printf("ratio routes / parse-only: %.2f%n", routeRate / parseRate);
        return 0;
    }

    private static long parseAll(RekognitionRecordParser parser, List<String> records) {
        long faces = 0;
        for (String r : records) {
            faces += parser.parse(r, null).size();
        }
        return faces;
    }

    private static double rate(int count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }
}
