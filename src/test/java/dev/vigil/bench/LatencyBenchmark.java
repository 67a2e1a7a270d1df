package dev.vigil.bench;

import dev.vigil.testing.Fixtures;
import dev.vigil.testing.Moto;
import dev.vigil.testing.Streams;
import dev.vigil.testing.VigilProcess;
import dev.vigil.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Record-to-webhook latency on the Kinesis source (BENCHMARKS.md): moto (started here, or the endpoint given),
 * a results stream, Vigil as a real child process in profile aws reading it with KCL, a webhook receiver on
 * 127.0.0.1. Each round puts one two-frame visit of an unknown face (the real captured pair, on a camera of
 * its own, so every pair makes exactly one alert) with the AWS SDK; the latency of a round is from just before
 * that PutRecords call to the alert's arrival at the receiver. Run from the repository root:
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) dev.vigil.bench.LatencyBenchmark [PAIRS] [POLL_MS] [ENDPOINT]
 * </pre>
 */
public final class LatencyBenchmark {

    private static final String SECRET = "latency-bench-secret-0123";
    private static final int WARM_UP = 10;
    private static final long GAP_MS = 250;

    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String pollMs = args.length > 1 ? args[1] : "200";
        String endpoint = args.length > 2 ? args[2] : Moto.get().endpoint();
        String run = "bench-" + System.currentTimeMillis();
        Path dir = Files.createTempDirectory("vigil-latency-");
        Path household = Fixtures.write(dir.resolve("household.yaml"), """
                cameras:
                  - id: bench
                    name: Bench
                    kvsStream: %s
                policy:
                  alertTtl: 36500d
                  thresholds:
                    maxYaw: 80
                """.formatted(run));
        String stream = dev.vigil.config.Household.Camera.defaultResultsStream(run); // the household names none
        List<String> pair = Fixtures.realUnknownPair();
        Map<String, Long> putAt = new ConcurrentHashMap<>();
        int port = Moto.freePort();
        try (Streams streams = new Streams(endpoint); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            streams.create(stream, 1);
            Map<String, String> env = new HashMap<>(Map.of("VIGIL_PROFILE", "aws", "VIGIL_AWS_ENDPOINT", endpoint,
                    "VIGIL_AWS_REGION", Moto.REGION, "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                    "CBOR_ENABLED", "false", "AWS_EC2_METADATA_DISABLED", "true"));
            env.put("VIGIL_PROCESSORS_ENABLED", "false"); // records are put directly; no Rekognition processor
            env.put("VIGIL_RATE_GUARD_MAX", "0"); // one alert every 250 ms would pass the webhook's ceiling of 20
            env.putAll(Map.of("VIGIL_CONFIG", household.toString(), "VIGIL_DATA_DIR", dir.resolve("data").toString(),
                    "VIGIL_WEBHOOK_URL", receiver.url(), "VIGIL_WEBHOOK_SECRET", SECRET,
                    "VIGIL_KINESIS_APPLICATION", run, "VIGIL_KINESIS_WORKER_ID", run,
                    "VIGIL_KINESIS_POLL_INTERVAL_MS", pollMs, "VIGIL_HTTP_PORT", Integer.toString(port)));
            long start = System.nanoTime();
            Process vigil = VigilProcess.startFullJit(dir, env);
            try {
                Streams.await(Duration.ofSeconds(120), () -> ready(port), "Vigil ready");
                long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                for (int i = 0; i < pairs; i++) {
                    String camera = "bench-cam-" + i;
                    List<String> records = pair.stream()
                            .map(r -> r.replace("stream/face_recognition/", "stream/" + camera + "/")).toList();
                    putAt.put(camera, System.nanoTime());
                    streams.put(stream, records);
                    TimeUnit.MILLISECONDS.sleep(GAP_MS);
                }
                Streams.await(Duration.ofSeconds(120), () -> receiver.requests().size() >= pairs, pairs + " alerts");
                List<Long> latencies = new ArrayList<>();
                for (WebhookReceiver.Request r : receiver.requests()) {
                    String camera = r.json().get("camera").get("id").asText();
                    int index = Integer.parseInt(camera.substring("bench-cam-".length()));
                    if (index >= WARM_UP) {
                        latencies.add(TimeUnit.NANOSECONDS.toMicros(r.at() - putAt.get(camera)));
                    }
                }
                latencies.sort(null);
                System.out.printf("Vigil start-to-ready (process start to /observe/health/ready 200): %d ms%n", readyMs);
                System.out.printf("settings: vigil.kinesis.poll-interval-ms=%s (KCL idleTimeBetweenReadsInMillis), "
                        + "max-records=100, 1 shard, one 2-record PutRecords every %d ms, KCL polling retrieval%n",
                        pollMs, GAP_MS);
                System.out.printf("alerts: %d measured (%d warm-up rounds left out), every one signed: %s%n",
                        latencies.size(), Math.min(WARM_UP, pairs),
                        receiver.requests().stream().allMatch(WebhookReceiver.Request::signatureValid));
                System.out.printf("record-to-webhook latency: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
                        pct(latencies, 50), pct(latencies, 95), pct(latencies, 99),
                        latencies.get(latencies.size() - 1) / 1000);
            } finally {
                vigil.destroy();
                vigil.waitFor(60, TimeUnit.SECONDS);
            }
        }
        System.exit(0); // moto, started here, stops with the JVM
    }

    private static long pct(List<Long> sortedMicros, int p) {
        int i = (int) Math.ceil(p / 100.0 * sortedMicros.size()) - 1;
        return sortedMicros.get(Math.max(0, i)) / 1000;
    }

    private static boolean ready(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }
}
