package dev.vigil.ingest.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Vigil;
import dev.vigil.config.ConfigException;
import dev.vigil.testing.ExpiringIteratorProxy;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.KclLeases;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.Random;
import dev.vigil.testing.Emulators;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Streams;
import dev.vigil.testing.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/12-ingest-kinesis.camel.yaml against Kinesis and DynamoDB in moto, over the real wire protocol. Each test
 * creates its KCL leases first ({@link KclLeases}), so Vigil starts as it does after its first start.
 */
@ExtendWith(Emulators.class)
class KinesisSourceTest {

    private static final String SECRET = "kinesis-secret-0123456789";

    @TempDir
    Path dir;
    Moto moto; // the shared emulator, emptied before each test (Emulators)


    private Map<String, String> settings(WebhookReceiver receiver, String household) {
        Map<String, String> s = new HashMap<>(Map.of(
                "vigil.config", Fixtures.write(dir.resolve("household.yaml"), household).toString(),
                "vigil.kinesis.enabled", "true", "vigil.aws.endpoint", moto.endpoint(),
                "vigil.aws.region", Moto.REGION, "vigil.kinesis.failover-time-ms", "2000",
                "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET,
                "vigil.kinesis.stale-after", "100000d"));
        return s;
    }

    /** Old frames never expire, turned heads count, one frame decides: every record makes its alert. */
    static final String ONE_FRAME_POLICY = """
            policy:
              alertTtl: 36500d
              thresholds:
                maxYaw: 80
              visit:
                minFrames: 1
            """;

    private static final String LAB = """
            cameras:
              - id: lab
                name: Lab camera
                kvsStream: face_recognition
                resultsStream: face-results
            policy:
              alertTtl: 36500d     # the real record is from 2020: keep its alert deliverable
              thresholds:
                maxYaw: 80
            """;

    @Test
    void recordsAreAlertedPoisonIsDeadLetteredWithShardAndSequenceAndLagIsMeasuredAndARefusedEditKeepsItReading()
            throws Exception {
        String garbage = new Random(3).ints(1_000_000, 33, 127)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        List<String> poison = List.of("{\"InputInformation\": {", garbage,
                Fixtures.realUnknownPair().get(0).replace("\"ProducerTimestamp\":1.605467324071E9",
                        "\"ProducerTimestamp\":\"yesterday\""), " ");
        try (Streams streams = new Streams(moto.endpoint()); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            streams.create("face-results", 1);
            streams.put("face-results", Fixtures.realUnknownPair().get(0));
            streams.put("face-results", poison);
            streams.put("face-results", Fixtures.realUnknownPair().get(1));
            KclLeases.create(moto.endpoint(), "vigil", "face-results");
            Map<String, String> settings = settings(receiver, LAB);
            settings.put("vigil.kinesis.stale-after", "5m");
            Path routes = Fixtures.copyOfRoutes(dir);
            settings.put("vigil.routes.dir", routes.toString());
            try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), settings)) {
                Streams.await(Duration.ofSeconds(90), () -> receiver.requests().size() == 1
                        && Fixtures.files(dir.resolve("data/dead-letters/record")).size() == poison.size(), "alert and dead letters");
                MeterRegistry metrics = vigil.main().getCamelContext().getRegistry()
                        .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                Streams.await(Duration.ofSeconds(10), () -> metrics.find("vigil.kinesis.lag.arrival.to.handled")
                        .timers().stream().mapToLong(t -> t.count()).sum() == 6, "all six records handled");
                assertEquals(2, metrics.get("vigil.kinesis.lag.frame.to.arrival").tag("camera", "lab").timer().count(),
                        "frame-to-arrival lag of the two parsable records");
                assertEquals(6, metrics.get("vigil.kinesis.lag.arrival.to.handled").tag("camera", "lab").timer().count());

                // a live edit of this route that does not load (an option the source does not have) is refused and
                // the source keeps reading: the next record still makes its alert
                Path route = routes.resolve("12-ingest-kinesis.camel.yaml");
                Files.writeString(route, Files.readString(route).replace("maxRecords:", "noSuchOption: \"1\"\n        maxRecords:"));
                Streams.await(Duration.ofSeconds(30), () -> metrics.find("vigil.live.refused").counters().stream()
                        .mapToDouble(c -> c.count()).sum() == 1, "the edit refused");
                assertEquals("Started", vigil.main().getCamelContext().getRouteController().getRouteStatus("ingestKinesis").name());
                Fixtures.realUnknownPair().forEach(r -> streams.put("face-results",
                        r.replace("stream/face_recognition/", "stream/face_recognition_2/")));
                Streams.await(Duration.ofSeconds(30), () -> receiver.requests().size() == 2, "an alert after the refused edit");
                assertEquals(poison.size(), Fixtures.files(dir.resolve("data/dead-letters/record")).size(),
                        "the source was not restarted (it would read the records after its checkpoint again)");
            }
            JsonNode alert = receiver.requests().get(0).json();
            assertEquals("lab", alert.get("camera").get("id").asText());
            assertTrue(alert.get("stale").asBoolean(), "a frame from 2020 is stale on a live source, and still sent");
            assertFalse(alert.get("replayed").asBoolean(), "a live alert");
            ObjectMapper json = new ObjectMapper();
            for (Path letter : Fixtures.files(dir.resolve("data/dead-letters/record"))) {
                String source = json.readTree(letter.toFile()).get("source").asText();
                assertTrue(source.matches("face-results/shardId-000000000000/\\d+"), source);
            }
        }
    }

    @Test
    void aFourShardStreamLosesAndDuplicatesNothingAcrossTenThousandRecords() throws Exception {
        String template = Fixtures.realUnknownPair().get(0);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) { // each record its own camera: one alert per record
            records.add(template.replace("stream/face_recognition/", "stream/cam-" + i + "/"));
        }
        try (Streams streams = new Streams(moto.endpoint()); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            streams.create("bulk-results", 4);
            streams.put("bulk-results", records);
            KclLeases.create(moto.endpoint(), "vigil", "bulk-results");
            Map<String, String> settings = settings(receiver, """
                    cameras:
                      - id: bulk
                        name: Bulk
                        kvsStream: bulk
                        resultsStream: bulk-results
                    """ + ONE_FRAME_POLICY);
            settings.put("vigil.kinesis.max-records", "500");
            settings.put("vigil.rate-guard.max", "0"); // 10,000 alerts to one webhook on purpose: no ceiling
            try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), settings)) {
                Streams.await(Duration.ofSeconds(240), () -> receiver.requests().size() >= 10_000, "10,000 alerts");
                Streams.holds(Duration.ofSeconds(2), () -> receiver.requests().size() == 10_000, "nothing duplicated arrives");
                MeterRegistry metrics = vigil.main().getCamelContext().getRegistry()
                        .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                assertEquals(10_000, (long) metrics.find("vigil.records").counters().stream()
                        .mapToDouble(c -> c.count()).sum(), "each record processed once");
            }
            assertEquals(10_000, receiver.requests().size());
            Set<String> cameras = receiver.requests().stream().map(r -> r.json().get("camera").get("id").asText())
                    .collect(Collectors.toSet());
            assertEquals(10_000, cameras.size(), "every record's alert, none twice");
        }
    }

    @Test
    void aReceiverOutageLongerThanTheIteratorLifetimeLosesNoRecordAndRecoversByItself() throws Exception {
        String template = Fixtures.realUnknownPair().get(0);
        java.util.function.IntFunction<String> record = i -> template.replace("stream/face_recognition/", "stream/cam-" + i + "/");
        try (ExpiringIteratorProxy kinesis = new ExpiringIteratorProxy(moto.endpoint(), Duration.ofSeconds(3));
             Streams streams = new Streams(moto.endpoint()); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            streams.create("outage-results", 1);
            KclLeases.create(moto.endpoint(), "vigil", "outage-results");
            Map<String, String> settings = settings(receiver, """
                    cameras:
                      - id: door
                        name: Door
                        kvsStream: door
                        resultsStream: outage-results
                    """ + ONE_FRAME_POLICY);
            settings.putAll(Map.of("vigil.aws.endpoint", kinesis.endpoint(), "vigil.webhook.response-timeout-ms", "5000",
                    "vigil.delivery.retry-initial", "100ms", "vigil.delivery.retry-max", "500ms"));
            try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), settings)) {
                MeterRegistry meters = vigil.main().getCamelContext().getRegistry()
                        .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                receiver.hang();
                streams.put("outage-results", java.util.stream.IntStream.range(0, 6).mapToObj(record).toList());
                // the first alert's first try holds the shard for the 5 s response timeout (iterators live 3 s); then
                // it and the others wait in the webhook's retry lane, and the shard moves on
                Streams.await(Duration.ofSeconds(120), () -> meters.get("vigil.channel.pending").tag("channel", "webhook")
                        .gauge().value() == 6, "the alerts of the outage waiting for their retries");
                receiver.recover();
                streams.put("outage-results", java.util.stream.IntStream.range(6, 10).mapToObj(record).toList());
                Streams.await(Duration.ofSeconds(60), () -> receiver.accepted().size() == 10,
                        "the alerts of the outage, then the ones after it, delivered");
                assertEquals(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "cam-" + i).toList(),
                        receiver.requests().stream().map(r -> r.json().get("camera").get("id").asText()).distinct().toList(),
                        "in order, once each");
                MeterRegistry metrics = vigil.main().getCamelContext().getRegistry()
                        .lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                // the counter moves when the decision route is done with a record, just after its alert went out
                Streams.await(Duration.ofSeconds(10), () -> metrics.find("vigil.records").counters().stream()
                        .mapToDouble(c -> c.count()).sum() >= 10, "the tenth record done");
                assertEquals(10, (long) metrics.find("vigil.records").counters().stream().mapToDouble(c -> c.count()).sum(),
                        "every record handled once, none lost to expired iterators");
            }
            assertTrue(kinesis.expiredCount() > 0, "the stall outlived the shard iterator: " + kinesis.expiredCount());
            System.out.printf("outage test: %d GetRecords refused as expired, recovered%n", kinesis.expiredCount());
        }
    }

    /**
     * Issue 17: the source declares at start over how many shards each camera's frames come (the results stream's
     * open shards): on a stream of two, a visit's first alert waits for the reorder window (the timer route sends
     * it); on a stream of one it goes out at once.
     */
    @Test
    void aResultsStreamOfTwoShardsMakesItsCamerasFirstAlertsWaitForTheReorderWindow() throws Exception {
        String household = """
                cameras:
                  - id: lab
                    name: Lab camera
                    kvsStream: lab-cam
                    resultsStream: face-results
                  - id: porch
                    name: Porch
                    kvsStream: porch-cam
                    resultsStream: porch-results
                """;
        try (Streams streams = new Streams(moto.endpoint()); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            streams.create("face-results", 2);
            streams.create("porch-results", 1);
            KclLeases.create(moto.endpoint(), "vigil", "face-results", "porch-results");
            try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), settings(receiver, household))) {
                dev.vigil.decide.Decider decider = vigil.main().getCamelContext().getRegistry()
                        .lookupByNameAndType("decider", dev.vigil.decide.Decider.class);
                java.time.Instant t = java.time.Instant.now();

                assertTrue(decider.decide(unknownFace("lab-cam", t)).isEmpty());
                assertTrue(decider.decide(unknownFace("lab-cam", t.plusMillis(500))).isEmpty(), "held: two shards");
                assertEquals(1, decider.decide(unknownFace("porch-cam", t)).size()
                        + decider.decide(unknownFace("porch-cam", t.plusMillis(500))).size(), "at once: one shard");
                Streams.await(Duration.ofSeconds(20), () -> receiver.requests().size() == 1,
                        "the held alert sent by route decideHeld once the window passed");
                assertEquals("lab", receiver.requests().get(0).json().at("/camera/id").asText());
            }
        }
    }

    private static dev.vigil.model.FaceObservation unknownFace(String stream, java.time.Instant t) {
        return new dev.vigil.model.FaceObservation(stream, t, 0, 1, new dev.vigil.model.Face(
                new dev.vigil.model.Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 99.9, 60, 80, 5, 3, 1), List.of(),
                new dev.vigil.model.Source(dev.vigil.model.Source.STREAM_PROCESSOR,
                        "arn:aws:kinesisvideo:us-east-1:123456789012:stream/" + stream + "/1", "9134385233318146730",
                        t.minusMillis(300), stream + "#" + t.toEpochMilli()));
    }
}
