package dev.vigil.ingest.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.Emulators;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.KclLeases;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Streams;
import dev.vigil.testing.ThrottlingProxy;
import dev.vigil.testing.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS throttling under the Kinesis source (routes/12-ingest-kinesis.camel.yaml): a {@link ThrottlingProxy} in
 * front of moto answers the first requests of chosen Kinesis and DynamoDB operations with the services' real
 * throttling errors; the SDK backs off and retries (compressed schedule), KCL and Vigil carry on after what the
 * SDK gave up on. Every record put is decided once and its alert delivered once, none lost, and every throttled
 * attempt is counted in vigil_aws_throttled_total{service,operation}.
 */
@ExtendWith(Emulators.class)
class KinesisThrottlingTest {

    private static final String SECRET = "throttle-secret-0123456789";
    private static final int RECORDS = 20;
    private static final String LEASES = "vigil-leases";
    private static final String DELIVERED = "vigil-delivered-alerts";

    @TempDir
    Path dir;
    Moto moto;

    @Test
    void kinesisThrottlingOnReadsLosesNoRecordAndIsCounted() throws Exception {
        try (ThrottlingProxy aws = new ThrottlingProxy(moto.endpoint())) {
            String rate = "Rate exceeded for shard shardId-000000000000 in stream throttled-results under account "
                    + Moto.ACCOUNT + ".";
            // 5 > the SDK's 3 attempts: KCL's own retry carries on after the SDK gave up
            aws.throttle("Kinesis_20131202.GetRecords", "", 5, "ProvisionedThroughputExceededException", rate)
                    .throttle("Kinesis_20131202.GetShardIterator", "", 5, "ProvisionedThroughputExceededException", rate)
                    .throttle("Kinesis_20131202.ListShards", "", 2, "LimitExceededException",
                            "Rate exceeded for stream throttled-results under account " + Moto.ACCOUNT + ".")
                    // the start-up check of the results streams (20 a second per account): waited out, not a failed start
                    .throttle("Kinesis_20131202.DescribeStreamSummary", "", 3, "LimitExceededException",
                            "Rate exceeded for account " + Moto.ACCOUNT + ".");
            Result r = run(aws, "memory", false); // KCL's own first start: its shard sync lists the shards
            assertEquals(5, aws.refused("Kinesis_20131202.GetRecords"));
            assertEquals(5, aws.refused("Kinesis_20131202.GetShardIterator"));
            assertEquals(2, aws.refused("Kinesis_20131202.ListShards"));
            assertEquals(3, aws.refused("Kinesis_20131202.DescribeStreamSummary"));
            assertEquals(5.0, r.throttled.get("Kinesis/GetRecords"), "each throttled GetRecords counted once");
            assertEquals(5.0, r.throttled.get("Kinesis/GetShardIterator"));
            assertEquals(2.0, r.throttled.get("Kinesis/ListShards"), "LimitExceeded counts as throttled too");
            assertEquals(3.0, r.throttled.get("Kinesis/DescribeStreamSummary"), "each refused start-up check counted");
            assertTrue(r.retries.get("Kinesis/GetRecords") >= 4, "the SDK retried: " + r.retries);
            System.out.printf("FAULT Kinesis throttling (5 x GetRecords, 5 x GetShardIterator "
                    + "ProvisionedThroughputExceeded, 2 x ListShards, 3 x DescribeStreamSummary LimitExceeded): %d records, delivered %d, lost 0, "
                    + "duplicated 0, counted %s; drained in %d ms%n", RECORDS, r.delivered, r.throttled, r.drainedMs);
        }
    }

    @Test
    void dynamoDbThrottlingOnTheDeliveredStoreAndTheLeaseTableLosesAndDuplicatesNothingAndIsCounted() throws Exception {
        try (ThrottlingProxy aws = new ThrottlingProxy(moto.endpoint())) {
            String capacity = "The level of configured provisioned throughput for the table was exceeded. Consider "
                    + "increasing your provisioning level with the UpdateTable API.";
            String table = "\"TableName\":\"";
            // the delivered-alert store: within the SDK's attempts; the lease table: beyond them (KCL retries)
            aws.throttle("DynamoDB_20120810.GetItem", table + DELIVERED + "\"", 2,
                            "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", capacity)
                    .throttle("DynamoDB_20120810.PutItem", table + DELIVERED + "\"", 2,
                            "com.amazon.coral.availability#ThrottlingException", "Throughput exceeds the current "
                                    + "capacity of your table or index. DynamoDB is automatically scaling your table "
                                    + "or index so please try again shortly.")
                    .throttle("DynamoDB_20120810.UpdateItem", table + LEASES + "\"", 4,
                            "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", capacity)
                    .throttle("DynamoDB_20120810.Scan", table + LEASES + "\"", 2,
                            "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", capacity);
            Result r = run(aws, "dynamodb", true);
            for (String op : List.of("GetItem", "PutItem", "UpdateItem", "Scan")) {
                assertTrue(aws.refused("DynamoDB_20120810." + op) > 0, op + " was throttled");
                assertEquals((double) aws.refused("DynamoDB_20120810." + op), r.throttled.get("DynamoDB/" + op),
                        "each throttled " + op + " counted once");
            }
            System.out.printf("FAULT DynamoDB throttling (delivered store 2 x GetItem, 2 x PutItem; lease table 4 x "
                    + "UpdateItem, 2 x Scan): %d records, delivered %d, lost 0, duplicated 0, counted %s; drained in "
                    + "%d ms%n", RECORDS, r.delivered, r.throttled, r.drainedMs);
        }
    }

    private record Result(int delivered, Map<String, Double> throttled, Map<String, Double> retries, long drainedMs) {
    }

    /**
     * Puts {@link #RECORDS} records (one camera each), runs Vigil through the proxy, waits for every alert. With
     * {@code leasesFirst} the leases are created first, straight in moto ({@link KclLeases}): Vigil starts as after
     * its first start; without, KCL's own first start (its shard sync) goes through the proxy.
     */
    private Result run(ThrottlingProxy aws, String deliveredStore, boolean leasesFirst) throws Exception {
        String template = Fixtures.realUnknownPair().get(0);
        try (Streams streams = new Streams(moto.endpoint()); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            streams.create("throttled-results", 1);
            streams.put("throttled-results", IntStream.range(0, RECORDS)
                    .mapToObj(i -> template.replace("stream/face_recognition/", "stream/cam-" + i + "/")).toList());
            if (leasesFirst) {
                KclLeases.create(moto.endpoint(), LEASES, "throttled-results");
            }
            Map<String, String> settings = new HashMap<>(Map.of(
                    "vigil.config", Fixtures.write(dir.resolve("household.yaml"), """
                            cameras:
                              - id: door
                                name: Door
                                kvsStream: door
                                resultsStream: throttled-results
                            """ + KinesisSourceTest.ONE_FRAME_POLICY).toString(),
                    "vigil.kinesis.enabled", "true", "vigil.aws.endpoint", aws.endpoint(), "vigil.aws.region", Moto.REGION,
                    "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET,
                    "vigil.kinesis.stale-after", "100000d", "vigil.kinesis.application", LEASES,
                    "vigil.delivered.store", deliveredStore));
            settings.putAll(Map.of("vigil.aws.retry.max-attempts", "3", "vigil.aws.retry.base-delay", "10ms",
                    "vigil.aws.retry.throttling-base-delay", "20ms", "vigil.aws.retry.max-backoff", "100ms",
                    "vigil.rate-guard.max", "0", "vigil.kinesis.failover-time-ms", "2000"));
            long start = System.nanoTime();
            try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), settings)) {
                MeterRegistry metrics = vigil.main().getCamelContext().getRegistry()
                        .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                Streams.await(Duration.ofSeconds(240), () -> receiver.accepted().size() >= RECORDS, "every alert");
                long drained = (System.nanoTime() - start) / 1_000_000;
                Streams.holds(Duration.ofSeconds(2), () -> receiver.requests().size() == RECORDS, "nothing sent twice");
                assertEquals(IntStream.range(0, RECORDS).mapToObj(i -> "cam-" + i).toList(),
                        receiver.requests().stream().map(q -> q.json().get("camera").get("id").asText()).toList(),
                        "every record's alert, once, in order");
                assertEquals(RECORDS, (long) metrics.find("vigil.records").counters().stream()
                        .mapToDouble(c -> c.count()).sum(), "each record decided once");
                Streams.await(Duration.ofSeconds(10), () -> counted(metrics) >= aws.refused(),
                        "the throttled attempts counted");
                return new Result(receiver.requests().size(), byOperation(metrics, "vigil.aws.throttled"),
                        byOperation(metrics, "vigil.aws.retries"), drained);
            }
        }
    }

    /** A counter's values by service/operation. */
    private static Map<String, Double> byOperation(MeterRegistry metrics, String name) {
        Map<String, Double> counts = new java.util.TreeMap<>();
        metrics.find(name).counters().forEach(c -> counts.put(c.getId().getTag("service") + "/"
                + c.getId().getTag("operation"), c.count()));
        return counts;
    }

    private static double counted(MeterRegistry metrics) {
        return metrics.find("vigil.aws.throttled").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
