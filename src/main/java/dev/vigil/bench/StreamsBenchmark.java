package dev.vigil.bench;

import dev.vigil.Headers;
import dev.vigil.VigilRuntime;
import dev.vigil.sample.ScenarioGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * {@code vigil bench-streams [STREAMS] [SECONDS] [REPORT_EVERY] [--poll-ms MS] [--kinesis kinesalite|moto]}: one Vigil
 * instance reading many results streams (one per camera, default 200) through its Kinesis source, on emulators this
 * command starts and stops: kinesalite (default; installed on demand with npm) or moto for Kinesis, and moto for
 * DynamoDB (the lease table and the delivered-alert ids) in a second process.
 * A producer writes one live record a second to every stream (the real Rekognition record format); every
 * REPORT_EVERY seconds (default 60) it prints records put and decided per second, put-to-decided lag (p50, p95,
 * max), the CPU of this process (Vigil instance A, minus the producer and the receiver threads), of both emulators and of the
 * second instance, and A's live heap after a full GC. After SECONDS (default 300) a second instance (a separate JVM,
 * same KCL application) joins and takes about half the leases; it is then killed with SIGKILL and A takes them back.
 * At the end: every record put must have been decided (by A, or by B before its last checkpoint), and the alerts the
 * webhook received must be exactly those a replay of the same records gives; duplicates are counted. See
 * BENCHMARKS.md.
 */
public final class StreamsBenchmark {

    /** The people and policy of the benchmark's household (the tests of a stream move use them too). */
    public static final String PEOPLE_AND_POLICY = """
            people:
              - {id: alice, name: Alice, groups: [family]}
              - {id: bob, name: Bob, groups: [family]}
            policy:
              timeZone: UTC
              mode: away
              visit: {window: 30s, minFrames: 2, cooldown: 5m}
              alertTtl: 2h
            """;
    private static final String APPLICATION = "vigil-bench-streams";
    private static final String SECRET = "bench-streams-secret-0123456789";
    private static final String REGION = "us-east-1";
    private static final String WORKER_A = "bench-a";
    private static final String WORKER_B = "bench-b";
    /** Blocking PutRecord calls in flight: each thread puts to streams/PRODUCER_THREADS streams a second. */
    private static final int PRODUCER_THREADS = 50;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final int streams;
    private final long pollMs;
    private final PrintStream out;
    private final Path dir;
    private final List<Ledger> ledgers = new ArrayList<>();
    private final Map<String, Ledger> ledgerByStream = new HashMap<>();
    private final List<Long> intervalLags = new ArrayList<>(); // ms, decided by A since the last report
    private final AtomicLong put = new AtomicLong();
    private final AtomicLong decided = new AtomicLong();
    private final List<Long> producerThreads = new CopyOnWriteArrayList<>();
    /** Per stream: the first checkpoint seen while B held the lease, and the newest. */
    private final Map<String, long[]> checkpointsOfB = new ConcurrentHashMap<>();
    private volatile boolean producing = true;
    private KinesisClient kinesis;
    private DynamoDbClient dynamo;
    private final String kinesisEmulator;
    private final boolean emulatorOnly;
    /** PutRecord round trips (µs) since the last report, for --emulator-only. */
    private final List<Long> putMicros = new ArrayList<>();
    private Emulator kinesisServer; // the results streams: kinesalite (default) or moto
    private Emulator moto; // every other service: the lease table and the delivered-alert ids (DynamoDB)
    private AlertReceiver receiver;
    private Process instanceB;
    private long startNanos;
    private Sample last;

    /** One stream's records by their position in the shard ({@link Emulator#ordinal}): put time, which A decided. */
    private static final class Ledger {
        final String stream;
        long[] putNanos = new long[1024];
        long maxPut;
        final BitSet putSeqs = new BitSet();
        final BitSet decided = new BitSet();
        long redecided;

        Ledger(String stream) {
            this.stream = stream;
        }

        synchronized void put(long seq, long nanos) {
            if (seq >= putNanos.length) {
                putNanos = Arrays.copyOf(putNanos, (int) Math.max(seq + 1, putNanos.length * 2L));
            }
            putNanos[(int) seq] = nanos;
            putSeqs.set((int) seq);
            maxPut = Math.max(maxPut, seq);
        }

        /** The records put that A has not decided. */
        synchronized BitSet undecided() {
            BitSet undecided = (BitSet) putSeqs.clone();
            undecided.andNot(decided);
            return undecided;
        }

        /** Records A's decision of a record; its put-to-decided lag in ms, or -1 if A had decided it already. */
        synchronized long decided(long seq, long nanos) {
            if (decided.get((int) seq)) {
                redecided++;
                return -1;
            }
            decided.set((int) seq);
            return seq < putNanos.length && putNanos[(int) seq] > 0 ? (nanos - putNanos[(int) seq]) / 1_000_000 : -1;
        }
    }

    /** CPU and time at one moment, for the per-interval figures. */
    private record Sample(long nanos, long processCpu, long producerCpu, long kinesisCpu, long dynamoCpu, long bCpu,
                          long put, long decided) {
    }

    private StreamsBenchmark(int streams, long pollMs, String kinesisEmulator, boolean emulatorOnly, PrintStream out, Path dir) {
        this.streams = streams;
        this.kinesisEmulator = kinesisEmulator;
        this.emulatorOnly = emulatorOnly;
        this.pollMs = pollMs;
        this.out = out;
        this.dir = dir;
    }

    public static int run(List<String> arguments, PrintStream out) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        // 200: the default of vigil.kinesis.poll-interval-ms
        long pollMs = Long.parseLong(Args.take(args, "--poll-ms", "200"));
        String kinesis = Args.take(args, "--kinesis", "kinesalite");
        if (!List.of("kinesalite", "moto").contains(kinesis)) {
            throw new IllegalArgumentException("--kinesis must be kinesalite or moto, not " + kinesis);
        }
        boolean emulatorOnly = args.remove("--emulator-only");
        int streams = args.isEmpty() ? 200 : Integer.parseInt(args.get(0));
        int seconds = args.size() < 2 ? 300 : Integer.parseInt(args.get(1));
        int every = args.size() < 3 ? 60 : Integer.parseInt(args.get(2));
        Path dir = Files.createTempDirectory("vigil-bench-streams-");
        return new StreamsBenchmark(streams, pollMs, kinesis, emulatorOnly, out, dir).run(seconds, every);
    }

    private int run(int seconds, int every) throws Exception {
        // the SDK clients of this JVM (the benchmark's and instance A's) talk to the emulator
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.cborEnabled", "false");
        System.setProperty("aws.disableEc2Metadata", "true");
        Runtime.getRuntime().addShutdownHook(new Thread(this::interrupted));
        out.printf("%d streams x 1 record/s (%d producer threads), polled every %d ms, steady %d s, %d cores, %s %s, load average %.1f, work dir %s%n",
                streams, PRODUCER_THREADS, pollMs, seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), OS.getSystemLoadAverage(), dir);
        try (Emulator startedKinesis = "moto".equals(kinesisEmulator) ? Emulator.moto(dir) : Emulator.kinesalite(streams);
             Emulator startedMoto = Emulator.moto(dir); AlertReceiver receiver = new AlertReceiver()) {
            kinesisServer = startedKinesis;
            moto = startedMoto;
            this.receiver = receiver;
            kinesis = KinesisClient.builder().endpointOverride(URI.create(kinesisServer.endpoint())).region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                    .httpClient(ApacheHttpClient.builder().maxConnections(2 * PRODUCER_THREADS + 4).build()).build();
            dynamo = DynamoDbClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                    .httpClient(ApacheHttpClient.builder().build()).build();
            long t0 = System.nanoTime();
            createStreams();
            out.printf("%s %s (Kinesis) and moto %s (DynamoDB): %d streams created and ACTIVE in %.1f s%n", kinesisServer.name(),
                    kinesisServer.endpoint(), moto.endpoint(), streams, secondsSince(t0));
            if (emulatorOnly) {
                return emulatorCapacity(seconds, every);
            }
            Path household = household();
            Map<String, String> settings = settings(household, receiver.url());
            Main a = startInstanceA(settings);
            Path records = dir.resolve("records.jsonl");
            try (BufferedWriter recordLog = Files.newBufferedWriter(records, StandardCharsets.UTF_8)) {
                awaitLeases(Duration.ofMinutes(5), () -> leases().getOrDefault(WORKER_A, 0) == streams);
                out.printf("instance A holds all %d leases %.1f s after it started%n", streams, secondsSince(t0));
                List<Thread> producers = startProducers(recordLog);
                startNanos = System.nanoTime();
                last = sample();
                out.println("   t(s)  put/s decided/s  lag p50/p95/max (ms)   CPU% A / bench / emulators K+D / B   heap A after GC   leases A/B  load");
                // warm-up: A starts a record processor per shard and its first GetRecords; steady state begins once
                // A has decided every record put more than 5 s ago, on every stream
                runUntil(() -> caughtUp(Duration.ofSeconds(5)), Duration.ofMinutes(10), every);
                out.printf("-- warm-up over: A decided every record put more than 5 s ago on all %d streams, %.1f s after "
                        + "the producer started; steady state for %d s%n", streams, secondsSince(startNanos), seconds);
                hold(Duration.ofSeconds(seconds), every);

                out.println("-- instance B joins (separate JVM, same application " + APPLICATION + ")");
                long joined = System.nanoTime();
                instanceB = startInstanceB(settings);
                int half = streams / 2;
                runUntil(() -> leasesOf(WORKER_B) >= half - Math.max(1, streams / 20), Duration.ofMinutes(15), every);
                double takeHalf = secondsSince(joined);
                out.printf("-- B holds %d of %d leases %.1f s after it was started%n", leasesOf(WORKER_B), streams, takeHalf);
                hold(Duration.ofSeconds(Math.min(60, every)), every); // B decides for a while
                int heldByB = leasesOf(WORKER_B);
                long killed = System.nanoTime();
                instanceB.destroyForcibly(); // SIGKILL: no graceful shutdown, no lease release
                instanceB.waitFor(30, TimeUnit.SECONDS);
                out.printf("-- B killed (SIGKILL) holding %d leases%n", heldByB);
                runUntil(() -> leasesOf(WORKER_A) == streams, Duration.ofMinutes(5), every);
                double takeBack = secondsSince(killed);
                out.printf("-- A holds all %d leases again %.1f s after the kill%n", streams, takeBack);
                hold(Duration.ofSeconds(Math.min(60, every)), every);
                producing = false;
                for (Thread p : producers) {
                    p.join();
                }
                long lastPut = System.nanoTime();
                out.printf("-- producer stopped: %,d records put; waiting for A to decide the rest%n", put.get());
                runUntil(this::everythingDecidedByA, Duration.ofMinutes(5), every);
                out.printf("-- A decided the last record %.1f s after the last put%n", secondsSince(lastPut));
                awaitQuiet(receiver, Duration.ofSeconds(5), Duration.ofMinutes(2));
                recordLog.flush(); // the replay reads the log: all of it, not what the buffer had written out
                return verdict(receiver, records, settings, takeHalf, takeBack);
            } finally {
                producing = false;
                if (instanceB != null && instanceB.isAlive()) {
                    instanceB.destroyForcibly();
                }
                a.stop();
            }
        }
    }

    /** Interrupted (Ctrl-C): the emulator and instance B do not outlive the benchmark. */
    private void interrupted() {
        if (instanceB != null) {
            instanceB.destroyForcibly();
        }
        if (moto != null) {
            try {
                kinesisServer.close();
                moto.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- set-up

    private String streamName(int i) {
        return String.format("vigil-bench-%03d", i);
    }

    private void createStreams() throws InterruptedException {
        for (int i = 0; i < streams; i++) {
            String name = streamName(i);
            kinesis.createStream(b -> b.streamName(name).shardCount(1));
            Ledger ledger = new Ledger(name);
            ledgers.add(ledger);
            ledgerByStream.put(name, ledger);
        }
        await(Duration.ofMinutes(2), () -> ledgers.stream().allMatch(l -> kinesis.describeStreamSummary(
                b -> b.streamName(l.stream)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE), "streams ACTIVE");
    }

    /** A household of one camera per stream, in away mode (every kind of face alerts), no quiet hours. */
    private Path household() throws IOException {
        StringBuilder yaml = new StringBuilder("cameras:\n");
        for (int i = 0; i < streams; i++) {
            yaml.append(camera(i, streamName(i)));
        }
        return Files.writeString(dir.resolve("household.yaml"), yaml.append(PEOPLE_AND_POLICY));
    }

    /** Camera {@code i} of the benchmark's household (kvsStream cam-NNN, as {@link ScenarioGenerator#liveCamera}). */
    public static String camera(int i, String resultsStream) {
        return String.format("  - {id: cam-%03d, name: Camera %03d, kvsStream: cam-%03d, resultsStream: %s}%n",
                i, i, i, resultsStream);
    }

    /** The settings both instances share (A gets them as properties, B as VIGIL_* environment variables). */
    private Map<String, String> settings(Path household, String webhook) {
        Map<String, String> s = new HashMap<>();
        s.put("vigil.config", household.toString());
        s.put("vigil.aws.endpoint", moto.endpoint());
        s.put("vigil.aws.endpoints.kinesis", kinesisServer.endpoint());
        s.put("vigil.aws.region", REGION);
        s.put("vigil.kinesis.application", APPLICATION);
        s.put("vigil.webhook.url", webhook);
        s.put("vigil.webhook.secret", SECRET);
        s.put("vigil.http.host", "127.0.0.1");
        s.put("vigil.processors.enabled", "false"); // moto has no Rekognition stream processors
        s.put("vigil.strangers.enabled", "false"); // nor face collections
        s.put("vigil.history.enabled", "false");
        s.put("vigil.rate-guard.max", "0"); // every alert goes out, so the live set can be compared with a replay
        s.put("vigil.live.enabled", "false"); // no watching of routes/ and the household file
        s.put("vigil.kinesis.poll-interval-ms", Long.toString(pollMs));
        return s;
    }

    private Main startInstanceA(Map<String, String> settings) throws Exception {
        System.setProperty("vigil.profile", "aws");
        Map<String, String> a = new HashMap<>(settings);
        a.put("vigil.kinesis.worker-id", WORKER_A);
        a.put("vigil.data.dir", dir.resolve("a").toString());
        a.put("vigil.http.port", Integer.toString(Emulator.freePort()));
        Main main = VigilRuntime.create(a);
        main.configure().addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                context.addRoutePolicyFactory(new RoutePolicyFactory() {
                    @Override
                    public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
                        return "ingestKinesis".equals(routeId) ? new DecidedByA() : null;
                    }
                });
            }
        });
        main.start();
        return main;
    }

    /** Notes each record instance A's Kinesis route has finished with (alerts delivered or dead-lettered). */
    private final class DecidedByA extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            String ref = exchange.getProperty(Headers.SOURCE_REF, String.class); // stream/shard/sequence number
            if (ref == null || exchange.getException() != null) {
                return;
            }
            String[] parts = ref.split("/");
            Ledger ledger = ledgerByStream.get(parts[0]);
            long lag = ledger.decided(Emulator.ordinal(parts[2]), System.nanoTime());
            decided.incrementAndGet();
            if (lag >= 0) {
                synchronized (intervalLags) {
                    intervalLags.add(lag);
                }
            }
        }
    }

    private Process startInstanceB(Map<String, String> settings) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.vigil.Vigil", "run");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        Map<String, String> b = new HashMap<>(settings);
        b.put("vigil.kinesis.worker-id", WORKER_B);
        b.put("vigil.data.dir", dir.resolve("b").toString());
        b.put("vigil.http.port", Integer.toString(Emulator.freePort()));
        b.forEach((k, v) -> builder.environment().put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
        builder.environment().putAll(Map.of("VIGIL_PROFILE", "aws", "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing", "CBOR_ENABLED", "false", "AWS_EC2_METADATA_DISABLED", "true"));
        Files.createDirectories(dir.resolve("b"));
        builder.redirectOutput(dir.resolve("b/stdout.txt").toFile()).redirectError(dir.resolve("b/stderr.txt").toFile());
        return builder.start();
    }

    /** One thread per group of streams, each putting one record a second to each of its streams, in order. */
    private List<Thread> startProducers(BufferedWriter recordLog) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < PRODUCER_THREADS; t++) {
            int lane = t;
            Thread thread = new Thread(() -> {
                producerThreads.add(Thread.currentThread().getId());
                List<Integer> mine = new ArrayList<>();
                List<Function<Instant, String>> cameras = new ArrayList<>();
                for (int i = lane; i < streams; i += PRODUCER_THREADS) {
                    mine.add(i);
                    cameras.add(ScenarioGenerator.liveCamera(String.format("cam-%03d", i), 1000 + i));
                }
                long tick = System.nanoTime();
                while (producing) {
                    for (int k = 0; k < mine.size(); k++) {
                        String body = cameras.get(k).apply(Instant.now().minusMillis(1500));
                        Ledger ledger = ledgers.get(mine.get(k));
                        long sent = System.nanoTime();
                        PutRecordResponse r = kinesis.putRecord(b -> b.streamName(ledger.stream)
                                .partitionKey("cam").data(SdkBytes.fromUtf8String(body)));
                        synchronized (putMicros) {
                            putMicros.add((System.nanoTime() - sent) / 1000);
                        }
                        ledger.put(Emulator.ordinal(r.sequenceNumber()), System.nanoTime());
                        put.incrementAndGet();
                        synchronized (recordLog) {
                            try {
                                recordLog.write(body);
                                recordLog.newLine();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }
                    tick += 1_000_000_000L;
                    long wait = tick - System.nanoTime();
                    if (wait > 0) {
                        sleep(wait / 1_000_000);
                    } else {
                        tick = System.nanoTime(); // behind: no catch-up burst
                    }
                }
            }, "bench-producer-" + t);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }

    /**
     * {@code --emulator-only}: no Vigil. The producer as in the soak, and what a consumer of every shard asks of the
     * Kinesis emulator (GetRecords of each shard once per poll interval, from a LATEST shard iterator, as KCL's
     * polling does): put and GetRecords requests per second, their round trips, the emulator's CPU.
     */
    private int emulatorCapacity(int seconds, int every) throws Exception {
        AtomicLong gets = new AtomicLong();
        AtomicLong read = new AtomicLong();
        List<Long> getMicros = new ArrayList<>();
        List<Thread> pollers = new ArrayList<>();
        try (BufferedWriter recordLog = Files.newBufferedWriter(dir.resolve("records.jsonl"), StandardCharsets.UTF_8)) {
            for (int t = 0; t < PRODUCER_THREADS; t++) {
                int lane = t;
                Thread poller = new Thread(() -> {
                    Map<String, String> iterators = new HashMap<>();
                    for (int i = lane; i < streams; i += PRODUCER_THREADS) {
                        String name = streamName(i);
                        iterators.put(name, kinesis.getShardIterator(b -> b.streamName(name).shardId("shardId-000000000000")
                                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator());
                    }
                    long tick = System.nanoTime();
                    while (producing) {
                        for (Map.Entry<String, String> e : iterators.entrySet()) {
                            long sent = System.nanoTime();
                            GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(e.getValue()).limit(10_000));
                            synchronized (getMicros) {
                                getMicros.add((System.nanoTime() - sent) / 1000);
                            }
                            e.setValue(r.nextShardIterator());
                            gets.incrementAndGet();
                            read.addAndGet(r.records().size());
                        }
                        tick += pollMs * 1_000_000L;
                        long wait = tick - System.nanoTime();
                        if (wait > 0) {
                            sleep(wait / 1_000_000);
                        } else {
                            tick = System.nanoTime();
                        }
                    }
                }, "bench-poller-" + t);
                poller.start();
                pollers.add(poller);
            }
            List<Thread> producers = startProducers(recordLog);
            out.println("   t(s)  put/s  GetRecords/s  records read/s   PutRecord p50/p95 (ms)  GetRecords p50/p95 (ms)   CPU% Kinesis emulator / this JVM  load");
            long begin = System.nanoTime();
            long[] last = {begin, 0, 0, 0, kinesisServer.cpu().toNanos(), OS.getProcessCpuTime()};
            while (System.nanoTime() - begin < seconds * 1_000_000_000L) {
                sleep(every * 1000L);
                long[] now = {System.nanoTime(), put.get(), gets.get(), read.get(), kinesisServer.cpu().toNanos(), OS.getProcessCpuTime()};
                double wall = (now[0] - last[0]) / 1e9;
                long[] puts = drainSorted(putMicros);
                long[] getTimes = drainSorted(getMicros);
                out.printf("%7.0f %6.0f %13.0f %15.0f   %10s / %-10s  %10s / %-10s    %5.1f / %5.1f          %5.1f%n", (now[0] - begin) / 1e9,
                        (now[1] - last[1]) / wall, (now[2] - last[2]) / wall, (now[3] - last[3]) / wall, ms(puts, 0.5),
                        ms(puts, 0.95), ms(getTimes, 0.5), ms(getTimes, 0.95), 100 * (now[4] - last[4]) / 1e9 / wall,
                        100 * (now[5] - last[5]) / 1e9 / wall, OS.getSystemLoadAverage());
                last = now;
            }
            producing = false;
            for (Thread t : producers) {
                t.join();
            }
            for (Thread t : pollers) {
                t.join();
            }
        }
        out.printf("%,d records put, %,d read back by the pollers%n", put.get(), read.get());
        return 0;
    }

    private static long[] drainSorted(List<Long> values) {
        synchronized (values) {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            values.clear();
            return sorted;
        }
    }

    private static String ms(long[] sortedMicros, double p) {
        return sortedMicros.length == 0 ? "-" : String.format("%.1f", sortedMicros[Math.min(sortedMicros.length - 1,
                (int) (p * sortedMicros.length))] / 1000.0);
    }

    // ---- measuring

    private Sample sample() {
        long producerCpu = 0;
        for (long id : producerThreads) {
            producerCpu += Math.max(0, THREADS.getThreadCpuTime(id));
        }
        if (receiver.threadId() >= 0) { // the harness's webhook receiver counts with the producer
            producerCpu += Math.max(0, THREADS.getThreadCpuTime(receiver.threadId()));
        }
        long bCpu = instanceB == null ? 0 : instanceB.toHandle().info().totalCpuDuration().map(Duration::toNanos)
                .orElse(last == null ? 0 : last.bCpu()); // after the kill: no more CPU
        return new Sample(System.nanoTime(), OS.getProcessCpuTime(), producerCpu, kinesisServer.cpu().toNanos(), moto.cpu().toNanos(), bCpu, put.get(),
                decided.get());
    }

    /** Lets the producer and the instances run for {@code time}, reporting every {@code every} seconds. */
    private void hold(Duration time, int every) {
        runUntil(() -> false, time, every, false);
    }

    /** Reports every {@code every} seconds until the condition holds; fails if it does not within {@code max}. */
    private void runUntil(BooleanSupplier done, Duration max, int every) {
        runUntil(done, max, every, true);
    }

    /** Keeps reporting every {@code every} seconds until the condition holds (checked every 3 s) or the time is up. */
    private void runUntil(BooleanSupplier done, Duration max, int every, boolean mustHold) {
        long end = System.nanoTime() + max.toNanos();
        long checked = 0;
        while (System.nanoTime() < end) {
            if (System.nanoTime() - checked >= 3_000_000_000L) { // a lease-table scan: not too often on the emulator
                if (done.getAsBoolean()) {
                    return;
                }
                checked = System.nanoTime();
            }
            sleep(1000);
            if (System.nanoTime() - last.nanos() >= every * 1_000_000_000L) {
                printInterval();
            }
        }
        if (mustHold && !done.getAsBoolean()) {
            throw new IllegalStateException("not reached within " + max);
        }
    }

    private void printInterval() {
        long[] lags;
        synchronized (intervalLags) {
            lags = intervalLags.stream().mapToLong(Long::longValue).sorted().toArray();
            intervalLags.clear();
        }
        double heap = liveHeapMb();
        Sample now = sample();
        double wall = (now.nanos() - last.nanos()) / 1e9;
        double producer = (now.producerCpu() - last.producerCpu()) / 1e9;
        double vigilA = (now.processCpu() - last.processCpu()) / 1e9 - producer;
        Map<String, Integer> leases = leases();
        out.printf("%7.0f %6.0f %9.0f  %6s/%6s/%6s      %5.1f / %4.1f / %4.1f+%4.1f / %5.1f   %7.1f MB        %d/%d  %5.1f%n",
                (now.nanos() - startNanos) / 1e9, (now.put() - last.put()) / wall, (now.decided() - last.decided()) / wall,
                pct(lags, 0.5), pct(lags, 0.95), lags.length == 0 ? "-" : Long.toString(lags[lags.length - 1]),
                100 * vigilA / wall, 100 * producer / wall, 100 * (now.kinesisCpu() - last.kinesisCpu()) / 1e9 / wall,
                100 * (now.dynamoCpu() - last.dynamoCpu()) / 1e9 / wall, 100 * (now.bCpu() - last.bCpu()) / 1e9 / wall, heap, leases.getOrDefault(WORKER_A, 0),
                leases.getOrDefault(WORKER_B, 0), OS.getSystemLoadAverage());
        last = sample();
    }

    private static String pct(long[] sorted, double p) {
        return sorted.length == 0 ? "-" : Long.toString(sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))]);
    }

    private static double liveHeapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** Leases held per worker, from the KCL lease table; notes B's checkpoints on the way. */
    private Map<String, Integer> leases() {
        Map<String, Integer> held = new HashMap<>();
        try {
            dynamo.describeTable(b -> b.tableName(APPLICATION));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException notYet) {
            return held; // KCL creates it at start
        }
        dynamo.scanPaginator(b -> b.tableName(APPLICATION)).items().forEach(item -> {
            AttributeValue owner = item.get("leaseOwner");
            if (owner == null) {
                return;
            }
            held.merge(owner.s(), 1, Integer::sum);
            AttributeValue checkpoint = item.get("checkpoint");
            if (WORKER_B.equals(owner.s()) && checkpoint != null && checkpoint.s().matches("\\d+")) {
                String stream = item.get("leaseKey").s().split(":")[1];
                long seq = Emulator.ordinal(checkpoint.s());
                checkpointsOfB.merge(stream, new long[] {seq, seq}, (old, x) -> new long[] {old[0], Math.max(old[1], seq)});
            }
        });
        return held;
    }

    private int leasesOf(String worker) {
        return leases().getOrDefault(worker, 0);
    }

    private void awaitLeases(Duration max, BooleanSupplier condition) {
        await(max, condition, "leases");
    }

    /** True if, on every stream, A has decided at least one record and every record put more than {@code age} ago. */
    private boolean caughtUp(Duration age) {
        long before = System.nanoTime() - age.toNanos();
        return ledgers.stream().allMatch(l -> {
            synchronized (l) {
                int oldest = l.undecided().nextSetBit(0);
                return !l.decided.isEmpty() && (oldest < 0 || l.putNanos[oldest] > before);
            }
        });
    }

    private boolean everythingDecidedByA() {
        return ledgers.stream().allMatch(l -> {
            synchronized (l) {
                long bCheckpoint = checkpointsOfB.getOrDefault(l.stream, new long[] {0, 0})[1];
                return l.undecided().nextSetBit((int) bCheckpoint + 1) < 0;
            }
        });
    }

    private static void awaitQuiet(AlertReceiver receiver, Duration quiet, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() - receiver.lastArrivalNanos() < quiet.toNanos() && System.nanoTime() < end) {
            sleep(200);
        }
    }

    // ---- the verdict

    private int verdict(AlertReceiver receiver, Path records, Map<String, String> settings, double takeHalf,
                        double takeBack) throws Exception {
        long missing = 0;
        long byBOnly = 0;
        long redecided = 0;
        long decidedTwice = 0;
        for (Ledger l : ledgers) {
            synchronized (l) {
                long[] b = checkpointsOfB.getOrDefault(l.stream, new long[] {0, 0});
                for (int seq = l.putSeqs.nextSetBit(0); seq >= 0; seq = l.putSeqs.nextSetBit(seq + 1)) {
                    boolean byA = l.decided.get(seq);
                    boolean byB = seq > b[0] && seq <= b[1];
                    if (!byA && !byB && seq > b[1]) {
                        missing++;
                    } else if (!byA && seq <= b[1]) {
                        byBOnly++;
                    } else if (byA && byB) {
                        decidedTwice++;
                    }
                }
                redecided += l.redecided;
            }
        }
        out.printf("records: %,d put; %,d decided by A (%,d of them more than once by A), %,d by B alone (up to its "
                + "last checkpoint), %,d by both; NOT decided: %,d%n", put.get(), decided.get() - redecided, redecided,
                byBOnly, decidedTwice, missing);
        Set<String> live = receiver.alertIds();
        Set<String> expected = replayedAlertIds(records, settings);
        Set<String> lost = new TreeSet<>(expected);
        lost.removeAll(live);
        Set<String> extra = new TreeSet<>(live);
        extra.removeAll(expected);
        out.printf("alerts: %,d distinct delivered live, %,d from a replay of the same records; lost %d, not in the "
                + "replay %d; duplicate deliveries %d%n", live.size(), expected.size(), lost.size(), extra.size(),
                receiver.duplicates());
        if (!lost.isEmpty()) {
            out.println("  lost (first 10): " + lost.stream().limit(10).toList());
        }
        if (!extra.isEmpty()) {
            out.println("  not in the replay (first 10): " + extra.stream().limit(10).toList());
        }
        out.printf("lease takeover: B took half in %.1f s; A took B's back %.1f s after the kill%n", takeHalf, takeBack);
        return missing == 0 && lost.isEmpty() ? 0 : 1;
    }

    /** The alert ids the same records give through a fresh runtime (replay, no Kinesis): what live must deliver. */
    private Set<String> replayedAlertIds(Path records, Map<String, String> settings) throws Exception {
        try (AlertReceiver reference = new AlertReceiver()) {
            System.setProperty("vigil.profile", "local");
            Map<String, String> r = new HashMap<>(settings);
            r.remove("vigil.aws.endpoint");
            r.remove("vigil.aws.endpoints.kinesis");
            r.putAll(Map.of("vigil.webhook.url", reference.url(), "vigil.http.enabled", "false",
                    "vigil.console.enabled", "false", "vigil.sample.enabled", "false", "vigil.kinesis.enabled", "false",
                    "vigil.data.dir", dir.resolve("replay").toString()));
            Main main = VigilRuntime.create(r);
            main.start();
            try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
                for (String line : Files.readAllLines(records, StandardCharsets.UTF_8)) {
                    template.sendBody("direct:record", line);
                }
                awaitQuiet(reference, Duration.ofSeconds(5), Duration.ofMinutes(2));
            } finally {
                main.stop();
            }
            return reference.alertIds();
        }
    }

    // ---- helpers

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static void await(Duration max, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException(what + ": not reached within " + max);
            }
            sleep(500);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
