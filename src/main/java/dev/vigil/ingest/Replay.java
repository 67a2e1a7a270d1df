package dev.vigil.ingest;

import dev.vigil.VigilRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * {@code vigil replay PATH...}: feeds recorded records through the routes with a fresh decision state,
 * and returns once every alert is delivered or dead-lettered (delivery is synchronous per record: the outbox is
 * bypassed, so the summary counts every delivery).
 */
public final class Replay {

    public static final String ENDPOINT = "direct:jsonLines";
    public static final String FILE_NAME_HEADER = "VigilReplayFile";

    private Replay() {
    }

    public static int run(List<String> paths, PrintStream out) throws Exception {
        List<Path> files = files(paths);
        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.http.enabled", "false",
                "vigil.outbox.enabled", "false"));
        VigilRuntime.start(main);
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            for (Path file : files) {
                template.sendBodyAndHeader(ENDPOINT, file.toFile(), FILE_NAME_HEADER, file.toString());
            }
            MeterRegistry metrics = main.getCamelContext().getRegistry()
                    .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            out.printf("replayed %d file(s): %d records, %d observations, %d alerts; %d deliveries, %d dead letters%n",
                    files.size(), count(metrics, "vigil.records"), count(metrics, "vigil.observations"),
                    count(metrics, "vigil.alerts.decided"), count(metrics, "vigil.alerts.delivered"),
                    count(metrics, "vigil.dead.letters"));
        } finally {
            main.stop();
        }
        return 0;
    }

    /** The .jsonl files named, directories walked recursively, in name order. */
    static List<Path> files(List<String> paths) throws IOException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("replay needs at least one .jsonl file or directory");
        }
        List<Path> files = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".jsonl")).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new IllegalArgumentException("replay: no such file or directory: " + p);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("replay: no .jsonl files under " + paths);
        }
        return files;
    }

    private static long count(MeterRegistry metrics, String name) {
        return (long) Search.in(metrics).name(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
