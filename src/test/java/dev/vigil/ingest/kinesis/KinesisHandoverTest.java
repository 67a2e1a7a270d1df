package dev.vigil.ingest.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.Headers;
import dev.vigil.sample.ScenarioGenerator;
import dev.vigil.testing.Emulators;
import dev.vigil.testing.KclLeases;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Streams;
import dev.vigil.testing.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.camel.builder.NotifyBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results stream moves from instance A to instance B (two Vigil runtimes, two KCL workers of one application,
 * on Kinesis and DynamoDB in moto; delivered-alert ids shared in DynamoDB): B replays from A's checkpoint, and the
 * alert ids delivered must be exactly those one continuous run (a replay of the same records in one fresh runtime)
 * gives. The records are the streams benchmark's ({@link ScenarioGenerator#liveCamera}), one a second: a first visit,
 * a quiet time (the checkpoint may pass it), then someone always in view, visits of every kind back to back; the
 * move comes after the first alert's cooldown there (5 min of event time) has passed, which on main let A checkpoint
 * past a frame that cooldown had held back. A stops gracefully and hands its newest handled record on (KCL's pending
 * checkpoint); the test then sets that mark back, as if A had died soon after handing on earlier, so B both rebuilds
 * silently (up to the mark) and decides anew what A had decided (after it).
 */
@ExtendWith(Emulators.class)
class KinesisHandoverTest {

    private static final String SECRET = "handover-secret-0123456789";
    private static final String STREAM = "handover-results";
    private static final String APPLICATION = "handover";
    /** A first visit, then 400 s without a face: a quiet time the checkpoint may pass. */
    private static final int FIRST_VISIT = 30;
    /** Frames A decides before the move (the first visit's and 340 of someone always in view), frames put after it. */
    private static final int BEFORE_MOVE = FIRST_VISIT + 340;
    private static final int AFTER_MOVE = 40;

    @TempDir
    Path dir;
    Moto moto; // the shared emulator, emptied before each test (Emulators)

    @Test
    void aStreamTakenOverByASecondInstanceDeliversExactlyTheAlertIdsOfOneContinuousRun() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(BEFORE_MOVE + AFTER_MOVE + 800L);
        List<String> records = new ArrayList<>(liveRecords(1030, start, FIRST_VISIT));
        records.addAll(liveRecords(1037, start.plusSeconds(FIRST_VISIT + 400), BEFORE_MOVE - FIRST_VISIT + AFTER_MOVE));
        Set<String> expected = continuousRun(records);
        try (Streams streams = new Streams(moto.endpoint()); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            streams.create(STREAM, 1);
            List<String> sequenceNumbers = streams.put(STREAM, records.subList(0, BEFORE_MOVE));
            KclLeases.create(moto.endpoint(), APPLICATION, STREAM); // A starts as after a first start
            try (RunningVigil a = new RunningVigil(dir.resolve("a"), settings(receiver, "worker-a"))) {
                Streams.await(Duration.ofSeconds(90), () -> handled(a) == BEFORE_MOVE, "A handling the first "
                        + BEFORE_MOVE + " records");
            } // graceful: A checkpoints what is safe, hands its newest handled record on, and gives its lease up
            assertEquals(sequenceNumbers.get(BEFORE_MOVE - 1), lease("pendingCheckpoint"),
                    "A hands on the newest record it handled (KCL's pending checkpoint)");
            // as if A had died 10 records after its last hand-on: B rebuilds silently up to there, then decides anew
            handedOn(sequenceNumbers.get(FIRST_VISIT + 10));
            try (RunningVigil b = new RunningVigil(dir.resolve("b"), settings(receiver, "worker-b"))) {
                String last = streams.put(STREAM, records.subList(BEFORE_MOVE, records.size())).get(AFTER_MOVE - 1);
                NotifyBuilder lastHandled = new NotifyBuilder(b.main().getCamelContext()).fromRoute("ingestKinesis")
                        .whenAnyDoneMatches(e -> e.getProperty(Headers.SOURCE_REF, "", String.class).endsWith("/" + last))
                        .create();
                assertTrue(lastHandled.matches(90, TimeUnit.SECONDS), "B handles the stream's last record");
                long replayedByB = handled(b);
                Set<String> extra = new TreeSet<>(receiver.alertIds());
                extra.removeAll(expected);
                Set<String> lost = new TreeSet<>(expected);
                lost.removeAll(receiver.alertIds());
                System.out.printf("handover test: B replayed %d records; %d alert ids expected, %d delivered, %d "
                        + "not in the continuous run, %d lost%n", replayedByB, expected.size(),
                        receiver.alertIds().size(), extra.size(), lost.size());
                assertTrue(replayedByB > AFTER_MOVE, "B replayed records A had decided (from A's checkpoint)");
                assertTrue(replayedByB <= records.size() - FIRST_VISIT, "A's checkpoint passed the quiet time");
                assertEquals(Set.of(), extra, "alert ids a continuous run does not give");
                assertEquals(Set.of(), lost, "alert ids of the continuous run not delivered");
                assertEquals(expected.size(), receiver.requests().size(), "each alert delivered once");
            }
        }
    }

    /** {@code n} records of the benchmark's live camera (someone always in view), one frame a second from {@code first}. */
    private static List<String> liveRecords(long seed, Instant first, int n) {
        Function<Instant, String> camera = ScenarioGenerator.liveCamera("cam-000", seed);
        List<String> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(camera.apply(first.plusSeconds(i)));
        }
        return records;
    }

    /** The alert ids of the same records decided in one go by a fresh runtime (no Kinesis). */
    private Set<String> continuousRun(List<String> records) throws Exception {
        try (WebhookReceiver reference = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir.resolve("continuous"), Map.of(
                     "vigil.config", household().toString(), "vigil.webhook.url", reference.url(),
                     "vigil.webhook.secret", SECRET, "vigil.rate-guard.max", "0"))) {
            for (int i = 0; i < records.size(); i++) {
                vigil.record(records.get(i), "continuous#" + i);
            }
            assertTrue(reference.alertIds().size() >= 3, "the records alert: " + reference.alertIds().size());
            return reference.alertIds();
        }
    }

    private Path household() {
        return TakeoverReplayTest.household(dir, STREAM);
    }

    private Map<String, String> settings(WebhookReceiver receiver, String worker) {
        Map<String, String> s = new HashMap<>(Map.of(
                "vigil.config", household().toString(), "vigil.kinesis.enabled", "true",
                "vigil.aws.endpoint", moto.endpoint(), "vigil.aws.region", Moto.REGION,
                "vigil.delivered.store", "dynamodb", // shared by both instances, as in profile aws
                "vigil.kinesis.application", APPLICATION, "vigil.kinesis.worker-id", worker,
                "vigil.kinesis.failover-time-ms", "2000", "vigil.webhook.url", receiver.url(),
                "vigil.webhook.secret", SECRET));
        s.putAll(Map.of("vigil.rate-guard.max", "0", "vigil.processors.enabled", "false"));
        return s;
    }

    /** An attribute of the stream's lease (KCL's lease table, named after the application). */
    private String lease(String attribute) {
        try (DynamoDbClient dynamo = dynamo()) {
            Map<String, AttributeValue> item = dynamo.scan(b -> b.tableName(APPLICATION)).items().stream()
                    .filter(i -> i.get("leaseKey").s().contains(STREAM)).findFirst().orElseThrow();
            return item.containsKey(attribute) ? item.get(attribute).s() : null;
        }
    }

    /** Sets the lease's pending checkpoint: the newest record the previous owner said it handled. */
    private void handedOn(String sequenceNumber) {
        try (DynamoDbClient dynamo = dynamo()) {
            Map<String, AttributeValue> item = dynamo.scan(b -> b.tableName(APPLICATION)).items().stream()
                    .filter(i -> i.get("leaseKey").s().contains(STREAM)).findFirst().orElseThrow();
            dynamo.updateItem(b -> b.tableName(APPLICATION).key(Map.of("leaseKey", item.get("leaseKey")))
                    .updateExpression("SET pendingCheckpoint = :s, pendingCheckpointSubSequenceNumber = :z")
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(sequenceNumber),
                            ":z", AttributeValue.fromN("0"))));
        }
    }

    private DynamoDbClient dynamo() {
        return DynamoDbClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.of(Moto.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(ApacheHttpClient.builder().build()).build();
    }

    /** Records the instance's Kinesis source has handled (alerts delivered), from its lag timer. */
    private static long handled(RunningVigil vigil) {
        MeterRegistry metrics = vigil.main().getCamelContext().getRegistry()
                .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        return metrics.find("vigil.kinesis.lag.arrival.to.handled").timers().stream().mapToLong(t -> t.count()).sum();
    }
}
