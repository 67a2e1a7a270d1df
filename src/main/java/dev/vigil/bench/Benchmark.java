package dev.vigil.bench;

import dev.vigil.Json;
import dev.vigil.VigilRuntime;
import dev.vigil.decide.DecisionLanes;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.model.Alert;
import dev.vigil.sample.ScenarioGenerator;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.util.FileUtil;

/**
 * {@code vigil bench [N] [ROUNDS] [--threads T] [--warmup W]}: pushes N generated records through the real
 * decision routes (channels off, so delivery stops at the route boundary) and, in the same run, parses the same
 * records with Jackson alone. W untimed rounds (default {@value #WARMUP}) warm the JIT first. Rounds alternate
 * (parse, routes on one thread, routes on T lanes) so all get the same JIT warm-up; each routes round starts a fresh
 * runtime with an empty decision state. Prints every round and the best of each, also per CPU second of the
 * threads that parse and decide and per CPU second of the whole process, the cores it kept busy, the JIT and GC time
 * and the page faults of each timed loop (steadier than wall time on a shared machine, and they show what else
 * competes for the cores; the heap stays committed between rounds), the process's CPU by thread group (deciding,
 * JIT, GC, history, Camel, other: in brackets), the ratios round by round, and whether T lanes decided exactly the
 * alerts (ids) of one thread. See BENCHMARKS.md.
 */
public final class Benchmark {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * Records queued per lane: the generated records come camera by camera (a camera's day, ~500 records, at a
     * time), and up to ~4,000 in a row go to one lane; with 1,000 the other lane ran dry (BENCHMARKS.md, "decision
     * rate, session 7").
     */
    private static final int LANE_CAPACITY = 8192;

    /**
     * Untimed rounds before the timed ones. About one record in a hundred decides an alert, and the per-alert code
     * (enrich, history, channels, H2) reaches the JIT's last tier only after a few rounds: without a warm-up the JIT
     * compiled 2,000 / 1,300 / 360 / 330 ms in the one-thread loops of timed rounds 2-5 and as much in the lanes'
     * loops, where it took a core's share from the lanes, while one thread left it a core of its own (BENCHMARKS.md,
     * "decision rate, session 8"). A running service pays that once, in its first minutes.
     */
    private static final int WARMUP = 4;

    private Benchmark() {
    }

    /**
     * {@code rounds} untimed rounds of what the timed ones do (parse, routes on one thread, routes on the lanes), each
     * routes pass on a fresh runtime as in the timed rounds; prints the JIT's compilation time of each.
     */
    private static void warmUp(RekognitionRecordParser parser, List<String> records, int threads, int rounds,
                               PrintStream out) throws Exception {
        for (int round = 1; round <= rounds; round++) {
            long jit = jitMillis();
            long start = System.nanoTime();
            parseAll(parser, records);
            throughRoutes(records, 1, false, false);
            if (threads > 1) {
                throughRoutes(records, threads, false, false);
            }
            out.printf("warm-up %d of %d (untimed): %.1f s, JIT %,d ms%n", round, rounds,
                    (System.nanoTime() - start) / 1e9, jitMillis() - jit);
        }
    }

    /**
     * A round's figures: records per wall second; per CPU second of the threads that parse and decide (the calling
     * thread; with lanes, the lane threads and the feeder); per CPU second of the whole process (GC, JIT and the
     * history writer included); the cores the process kept busy on average; the alert ids decided.
     */
    private record Round(double rate, double cpuRate, double processCpuRate, double cores, long jitMillis, long gcMillis,
                         long faults, Set<String> alertIds, String threads) {
    }

    /**
     * Where a timed loop started: wall clock, the process's CPU time, JIT compilation and GC time so far, and the CPU
     * time of the process's threads by what they do.
     */
    private record Window(long nanos, long processCpu, long jitMillis, long gcMillis, long faults,
                          Map<String, Long> threads) {
        static Window open() {
            return new Window(System.nanoTime(), OS.getProcessCpuTime(), Benchmark.jitMillis(), Benchmark.gcMillis(),
                    ThreadGroupsCpu.minorFaults(), ThreadGroupsCpu.snapshot());
        }
    }

    private static long jitMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit == null || !jit.isCompilationTimeMonitoringSupported() ? 0 : jit.getTotalCompilationTime();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionTime())).sum();
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        if (!args.isEmpty() && args.get(0).equals("history")) {
            return HistoryBenchmark.run(args.subList(1, args.size()), out);
        }
        List<String> positional = new ArrayList<>(args);
        int threads = Integer.parseInt(Args.take(positional, "--threads", "1"));
        int warmup = Integer.parseInt(Args.take(positional, "--warmup", Integer.toString(WARMUP)));
        int n = positional.isEmpty() ? 200_000 : Integer.parseInt(positional.get(0));
        int rounds = positional.size() < 2 ? 5 : Integer.parseInt(positional.get(1));
        List<String> records = ScenarioGenerator.bench(n);
        keepHeapCommitted(out);
        out.printf("records: %d generated (avg %d bytes, 1 face each), %d cores, %s %s, load average %.1f%n",
                records.size(), records.stream().mapToInt(String::length).sum() / records.size(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        List<Round> parse = new ArrayList<>();
        List<Round> routes = new ArrayList<>();
        List<Round> laned = new ArrayList<>();
        List<Round> parseLaned = new ArrayList<>();
        List<List<String>> byLane = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            byLane.add(new ArrayList<>());
        }
        records.forEach(r -> byLane.get(DecisionLanes.lane(r, byLane.size())).add(r));
        warmUp(parser, records, threads, warmup, out);
        boolean identical = true;
        for (int round = 1; round <= rounds; round++) {
            parse.add(parseOnly(parser, records));
            Round one = throughRoutes(records, 1, threads > 1, true);
            routes.add(one);
            Round alone = parse.get(round - 1);
            StringBuilder line = new StringBuilder(String.format("round %d: parse only %,.0f records/s (%,.0f per CPU s,"
                            + " %,d page faults), decision routes %,.0f records/s (%,.0f per CPU s, %,.0f per process CPU s,"
                            + " %.2f cores busy, JIT %d ms, GC %d ms, %,d page faults)", round, alone.rate(), alone.cpuRate(),
                    alone.faults(), one.rate(), one.cpuRate(), one.processCpuRate(), one.cores(), one.jitMillis(),
                    one.gcMillis(), one.faults()));
            line.append(" [").append(one.threads()).append(']');
            if (threads > 1) {
                Round parsed = parseOnThreads(parser, byLane);
                parseLaned.add(parsed);
                line.append(String.format(", parse only on %d threads %,.0f records/s (%.2fx)", threads, parsed.rate(),
                        parsed.rate() / alone.rate()));
                Round many = throughRoutes(records, threads, true, true);
                laned.add(many);
                boolean same = many.alertIds().equals(one.alertIds());
                identical &= same;
                line.append(String.format(", %d threads %,.0f records/s (%,.0f per CPU s of lanes and feeder, %,.0f per"
                                + " process CPU s, %.2f cores busy, JIT %d ms, GC %d ms, %,d page faults; %d alerts, %s)",
                        threads, many.rate(), many.cpuRate(), many.processCpuRate(), many.cores(), many.jitMillis(),
                        many.gcMillis(), many.faults(), many.alertIds().size(),
                        same ? "same ids as one thread" : "DIFFERENT ids from one thread"));
                line.append(" [").append(many.threads()).append(']');
            }
            out.println(line); // one line per round, printed whole (the runtimes log in between)
        }
        double bestParse = best(parse, false);
        double bestRoutes = best(routes, false);
        out.printf("best: parse only %,.0f records/s; decision routes %,.0f records/s; ratio %.2f (per CPU second: %.2f;"
                        + " spread of routes rounds 2..%d: %,.0f-%,.0f; %s)%n", bestParse, bestRoutes,
                bestRoutes / bestParse, best(routes, true) / best(parse, true), rounds, worstAfterFirst(routes),
                bestRoutes, roundByRound(routes, parse));
        if (threads > 1) {
            double bestLaned = best(laned, false);
            out.printf("best: %d threads %,.0f records/s; %.2fx one thread (spread of rounds 2..%d: %,.0f-%,.0f; %s);"
                            + " per CPU second of the deciding threads %.2fx one thread's, per process CPU second %.2fx;"
                            + " alerts and ids identical to one thread: %s%n", threads, bestLaned, bestLaned / bestRoutes,
                    rounds, worstAfterFirst(laned), bestLaned, roundByRound(laned, routes),
                    best(laned, true) / best(routes, true), bestProcess(laned) / bestProcess(routes),
                    identical ? "yes" : "NO");
            double bestParseLaned = best(parseLaned, false);
            out.printf("best: parse only on %d threads (each the records of its lane, no Camel) %,.0f records/s; %.2fx parse"
                            + " only on one thread: what this machine gives %d threads for the same records (spread of rounds"
                            + " 2..%d: %,.0f-%,.0f)%n", threads, bestParseLaned, bestParseLaned / bestParse, threads, rounds,
                    worstAfterFirst(parseLaned), bestParseLaned);
        }
        return identical ? 0 : 1;
    }

    /**
     * After a full GC (or a concurrent cycle's remark) G1 gives back the heap beyond 70 % free (MaxHeapFreeRatio), and
     * the next loop grows it again, a page fault per page (40,000-220,000 per one-thread routes loop when each loop
     * started after a full GC; BENCHMARKS.md "decision rate, session 7"). MaxHeapFreeRatio is a manageable flag: at
     * 100 the heap the first rounds grew stays committed. The page faults of every timed loop are printed.
     */
    private static void keepHeapCommitted(PrintStream out) {
        try {
            ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .setVMOption("MaxHeapFreeRatio", "100");
            out.println("heap: kept committed between rounds (MaxHeapFreeRatio=100)");
        } catch (RuntimeException e) {
            out.println("heap: may shrink between rounds (" + e.getMessage() + ")");
        }
    }

    private static double best(List<Round> rounds, boolean cpu) {
        return rounds.stream().mapToDouble(r -> cpu ? r.cpuRate() : r.rate()).max().orElseThrow();
    }

    /**
     * The ratio of two loops' rates round by round (their lowest, highest and median): the loops of a round run
     * seconds apart, while this VM's cores change speed by up to 1.65x from one stretch of seconds to the next, each
     * on its own (BENCHMARKS.md, "decision rate, session 8"), so one lucky round can carry a best-of-N ratio.
     */
    private static String roundByRound(List<Round> measured, List<Round> against) {
        double[] ratios = java.util.stream.IntStream.range(0, measured.size())
                .mapToDouble(i -> measured.get(i).rate() / against.get(i).rate()).sorted().toArray();
        int n = ratios.length;
        return String.format("round by round %.2f-%.2f, median %.2f", ratios[0], ratios[n - 1],
                (ratios[(n - 1) / 2] + ratios[n / 2]) / 2);
    }

    private static double bestProcess(List<Round> rounds) {
        return rounds.stream().mapToDouble(Round::processCpuRate).max().orElseThrow();
    }

    /** The lowest rate of rounds 2..N (of round 1's alone when there is one round): the low end of the spread. */
    private static double worstAfterFirst(List<Round> rounds) {
        return rounds.subList(Math.min(1, rounds.size() - 1), rounds.size()).stream().mapToDouble(Round::rate).min()
                .orElseThrow();
    }

    private static Round parseOnly(RekognitionRecordParser parser, List<String> records) throws InterruptedException {
        settle();
        long cpu = CPU.getCurrentThreadCpuTime();
        Window start = Window.open();
        parseAll(parser, records);
        return round(records.size(), start, CPU.getCurrentThreadCpuTime() - cpu, Set.of());
    }

    /**
     * The parse alone on one thread per lane, each parsing the records its lane decides: the machine's own figure for
     * several threads (shared caches, memory bandwidth, the host's scheduling of the virtual cores), next to which the
     * lanes' gain over one thread can be read.
     */
    private static Round parseOnThreads(RekognitionRecordParser parser, List<List<String>> byLane) throws Exception {
        settle();
        List<java.util.concurrent.FutureTask<Long>> lanes = new ArrayList<>(); // each: its thread's CPU nanoseconds
        for (List<String> lane : byLane) {
            lanes.add(new java.util.concurrent.FutureTask<>(() -> {
                long start = CPU.getCurrentThreadCpuTime();
                parseAll(parser, lane);
                return CPU.getCurrentThreadCpuTime() - start;
            }));
        }
        Window start = Window.open();
        for (int i = 0; i < lanes.size(); i++) {
            new Thread(lanes.get(i), "vigil-decide-lane-parse-" + i).start();
        }
        long cpu = 0;
        for (java.util.concurrent.FutureTask<Long> lane : lanes) {
            cpu += lane.get(); // a lane's failure (not one face per record) is thrown here
        }
        return round(byLane.stream().mapToInt(List::size).sum(), start, cpu, Set.of());
    }

    /**
     * Parses every record. The generated records have one face each: a parse loop that found another count parsed
     * something else.
     */
    private static void parseAll(RekognitionRecordParser parser, List<String> records) {
        long faces = 0;
        for (String r : records) {
            faces += parser.parse(r, null).size();
        }
        if (faces != records.size()) {
            throw new IllegalStateException("expected one face per record");
        }
    }

    /**
     * Routes with every channel off and an empty decision state: what the decision spine itself costs. One
     * thread: the caller sends each record into direct:record. More: the caller queues them on lanes by camera.
     * Each round has a data directory of its own (the alert history starts empty), removed afterwards. Timed: the
     * loop starts after {@link #settle}.
     */
    private static Round throughRoutes(List<String> records, int threads, boolean collectIds, boolean timed)
            throws Exception {
        Path data = Files.createTempDirectory("vigil-bench");
        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.console.enabled", "false",
                "vigil.http.enabled", "false", "vigil.outbox.enabled", "false", "vigil.webhook.url", "",
                "vigil.data.dir", data.toString()));
        Set<String> alertIds = ConcurrentHashMap.newKeySet();
        if (collectIds) { // a route policy on the deliver route: a small cost per alert, only when comparing thread counts
            main.configure().addConfiguration(new CamelConfiguration() {
                @Override
                public void configure(CamelContext context) {
                    context.addRoutePolicyFactory(new AlertIds(alertIds));
                }
            });
        }
        main.start();
        try {
            if (threads == 1) {
                try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
                    Endpoint record = main.getCamelContext().getEndpoint("direct:record");
                    settleIf(timed);
                    long cpu = CPU.getCurrentThreadCpuTime();
                    Window start = Window.open();
                    for (String r : records) {
                        template.sendBody(record, r);
                    }
                    return round(records.size(), start, CPU.getCurrentThreadCpuTime() - cpu, alertIds);
                }
            }
            try (DecisionLanes lanes = DecisionLanes.start(main.getCamelContext(), threads, LANE_CAPACITY)) {
                settleIf(timed);
                long cpu = CPU.getCurrentThreadCpuTime() + lanes.cpuNanos();
                Window start = Window.open();
                for (String r : records) {
                    lanes.submit(r);
                }
                if (!lanes.awaitDone(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("lanes did not finish");
                }
                return round(records.size(), start, CPU.getCurrentThreadCpuTime() + lanes.cpuNanos() - cpu, alertIds);
            }
        } finally {
            main.stop();
            FileUtil.removeDir(data.toFile());
        }
    }

    private static void settleIf(boolean timed) throws InterruptedException {
        if (timed) {
            settle();
        }
    }

    /**
     * Before a timed loop: the JIT done with what the start-up made hot (compilation time still for 1 s, at most
     * 20 s). Each round starts a fresh runtime, and its start-up code compiled in the background used up to a core
     * during the timed loop, competing with the lanes for the cores (BENCHMARKS.md, issue 15). Start-up is not what
     * is measured. No full GC: with a System.gc() before every loop, G1 counted those 110-190 ms pauses in its
     * pause-time ratio and grew the heap by ~700 MB at the next young GC, which the loop then faulted in (64,000-
     * 240,000 page faults, lanes' rounds at 0.95-1.4x one thread; BENCHMARKS.md "decision rate, session 8"). The
     * previous runtime's garbage goes in the loop's young GCs (25-60 ms of GC per loop), as it would in a service.
     */
    private static void settle() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        long before = jit.getTotalCompilationTime();
        do {
            Thread.sleep(1000);
            long now = jit.getTotalCompilationTime();
            if (now == before) {
                return;
            }
            before = now;
        } while (System.nanoTime() < deadline);
    }

    private static Round round(int count, Window start, long cpuNanos, Set<String> alertIds) {
        double seconds = (System.nanoTime() - start.nanos()) / 1e9;
        double processSeconds = (OS.getProcessCpuTime() - start.processCpu()) / 1e9;
        return new Round(count / seconds, cpuNanos <= 0 ? 0 : count / (cpuNanos / 1e9), count / processSeconds,
                processSeconds / seconds, jitMillis() - start.jitMillis(), gcMillis() - start.gcMillis(),
                ThreadGroupsCpu.minorFaults() - start.faults(), Set.copyOf(alertIds),
                ThreadGroupsCpu.delta(start.threads(), ThreadGroupsCpu.snapshot()));
    }

    /**
     * Collects the id of every alert the deliver route (direct:deliver) takes: a route policy on that route only,
     * so records that decide no alert (almost all) pass nothing of it. (An event notifier of sends, as it was, made
     * Camel create and hand out an event object at every exchange and send of every record: the one-thread figure
     * of a --threads run paid for the comparison.)
     */
    private static final class AlertIds implements RoutePolicyFactory {
        private final Set<String> ids;

        AlertIds(Set<String> ids) {
            this.ids = ids;
        }

        @Override
        public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
            if (!(route instanceof RouteDefinition r) || r.getInput() == null
                    || !"direct:deliver".equals(r.getInput().getEndpointUri())) {
                return null;
            }
            return new RoutePolicySupport() {
                @Override
                public void onExchangeBegin(Route deliver, Exchange exchange) {
                    if (exchange.getMessage().getBody() instanceof Alert a) {
                        ids.add(a.id());
                    }
                }
            };
        }
    }
}
