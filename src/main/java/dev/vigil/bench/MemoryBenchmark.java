package dev.vigil.bench;

import dev.vigil.VigilRuntime;
import dev.vigil.decide.Decider;
import dev.vigil.sample.ScenarioGenerator;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * {@code vigil bench-memory [CAMERAS] [PER_CAMERA]}: CAMERAS x PER_CAMERA generated records (default 1,000 x
 * 1,000; {@link ScenarioGenerator#fleet}: visits opening and closing, cooldowns holding and expiring) through the
 * real decision routes with every channel off, on one runtime; every 100,000 records it runs a full GC and prints
 * the live heap and what the decision state holds. The heap should stay flat (target <= 128 MB). See BENCHMARKS.md.
 */
public final class MemoryBenchmark {

    private MemoryBenchmark() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        int cameras = args.isEmpty() ? 1000 : Integer.parseInt(args.get(0));
        int perCamera = args.size() < 2 ? 1000 : Integer.parseInt(args.get(1));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        out.printf("%d cameras x %d records, max heap %d MB, %s %s%n", cameras, perCamera,
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.name"), System.getProperty("java.version"));
        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.console.enabled", "false",
                "vigil.http.enabled", "false", "vigil.outbox.enabled", "false", "vigil.webhook.url", "",
                "vigil.data.dir", System.getProperty("java.io.tmpdir") + "/vigil-bench-memory"));
        main.start();
        long peak = 0;
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            Endpoint record = main.getCamelContext().getEndpoint("direct:record");
            Decider decider = main.getCamelContext().getRegistry().lookupByNameAndType("decider", Decider.class);
            out.printf("%,10d records: live heap %5.1f MB (started)%n", 0, live(memory));
            long start = System.nanoTime();
            long n = 0;
            for (Iterator<String> records = ScenarioGenerator.fleet(cameras, perCamera); records.hasNext(); ) {
                template.sendBody(record, records.next());
                if (++n % 100_000 == 0) {
                    double mb = live(memory);
                    peak = Math.max(peak, Math.round(mb));
                    out.printf("%,10d records: live heap %5.1f MB; %s; %,.0f records/s%n", n, mb, decider.stateSummary(),
                            n / ((System.nanoTime() - start) / 1e9));
                }
            }
        } finally {
            main.stop();
        }
        out.printf("peak live heap after full GC: %d MB (target <= 128 MB)%n", peak);
        return peak <= 128 ? 0 : 1;
    }

    /** Heap in use after a full collection: what the process keeps alive. */
    private static double live(MemoryMXBean memory) {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
