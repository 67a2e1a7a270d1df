package dev.vigil.provision;

import static dev.vigil.testing.StreamProcessorFake.described;
import static dev.vigil.testing.StreamProcessorFake.error;
import static dev.vigil.testing.StreamProcessorFake.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.StreamProcessorFake;
import dev.vigil.testing.Streams;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionClient;

/**
 * routes/13-ingest-processors.camel.yaml in a running Vigil against the Rekognition fake: start, FAILED,
 * stuck STARTING, closed streaming. Asserts the exact requests, the readiness check, the gauge and the log.
 */
class ProcessorLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "vigil-front-door";
    private static final String KVS = "arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door-cam/1700000000000";
    private static final String KDS = "arn:aws:kinesis:us-east-1:123456789012:stream/AmazonRekognition-front-door-cam";
    private static final String ROLE = "arn:aws:iam::123456789012:role/vigil/vigil-rekognition-front-door";

    @TempDir
    Path dir;
    private StreamProcessorFake fake;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private AbstractAppender appender;

    @BeforeEach
    void setUp() {
        Streams.useEmulatorCredentials();
        fake = new StreamProcessorFake();
        appender = new AbstractAppender("lifecycle-test", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel() == Level.WARN) {
                    warnings.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        ((Logger) LogManager.getLogger(ProcessorWatch.class)).addAppender(appender);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LogManager.getLogger(ProcessorWatch.class)).removeAppender(appender);
        fake.close();
    }

    private RunningVigil vigil() throws Exception {
        Path household = dir.resolve("household.yaml");
        Files.writeString(household, """
                cameras:
                  - {id: front-door, name: Front door, kvsStream: front-door-cam}
                  - {id: driveway, name: Driveway, kvsStream: driveway-cam, engine: image}
                """);
        return new RunningVigil(dir.resolve("data"), Map.ofEntries(Map.entry("vigil.config", household.toString()),
                Map.entry("vigil.processors.enabled", "true"), Map.entry("vigil.processors.check-interval-ms", "100"),
                Map.entry("vigil.processors.initial-delay-ms", "0"), Map.entry("vigil.processors.stuck-after", "1s"),
                Map.entry("vigil.processors.retry-delay", "300ms"), Map.entry("vigil.processors.retry-failed-after", "1h"),
                Map.entry("vigil.aws.region", "us-east-1"), Map.entry("vigil.aws.endpoints.rekognition", fake.endpoint()),
                // the strangers' expiry at start would add its ListFaces to the calls this test counts
                Map.entry("vigil.strangers.enabled", "false")));
    }

    @Test
    void aStoppedProcessorIsStartedAndVigilBecomesReady() throws Exception {
        try (RekognitionClient client = RekognitionClient.builder().endpointOverride(URI.create(fake.endpoint()))
                .region(Region.US_EAST_1).build()) {
            client.createStreamProcessor(b -> b.name(NAME).input(i -> i.kinesisVideoStream(k -> k.arn(KVS)))
                    .output(o -> o.kinesisDataStream(k -> k.arn(KDS))).roleArn(ROLE)
                    .settings(s -> s.faceSearch(f -> f.collectionId("vigil-household").faceMatchThreshold(80f))));
        }
        try (RunningVigil vigil = vigil()) {
            Streams.await(Duration.ofSeconds(10), () -> ready(vigil), "readiness UP");
            assertEquals("RUNNING", fake.processors().get(NAME).get("Status").asText());
            assertEquals(List.of(JSON.readTree("{\"Name\":\"vigil-front-door\"}")), fake.requests("StartStreamProcessor"));
            assertEquals(1.0, gauge(vigil, "RUNNING"));
            assertEquals(0.0, gauge(vigil, "STOPPED"));
            assertTrue(fake.requests("DescribeStreamProcessor").stream().allMatch(r -> r.equals(name())),
                    "only the stream-processor camera is watched");
            assertTrue(warnings.isEmpty(), warnings.toString());
        }
    }

    @Test
    void aFailedProcessorIsReportedWithAwssMessageOnceAndNotHammered() throws Exception {
        fake.stub("failed", null, "DescribeStreamProcessor",
                described(NAME, "FAILED", "Access denied to Role", KVS, KDS, "vigil-household", ROLE), null);
        fake.stub("failed", null, "StartStreamProcessor", ok("{\"SessionId\":\"s-1\"}"), null);
        try (RunningVigil vigil = vigil()) {
            Streams.await(Duration.ofSeconds(10), () -> fake.requests("DescribeStreamProcessor").size() >= 5, "5 checks");
            HealthCheck.Result ready = readiness(vigil);
            assertEquals(HealthCheck.State.DOWN, ready.getState());
            assertEquals("FAILED: Access denied to Role", ready.getDetails().get("camera.front-door"));
            assertEquals(List.of("stream processor of camera front-door is FAILED: Access denied to Role"), warnings,
                    "one WARN line for the problem, not one per check");
            assertEquals(1, fake.requests("StartStreamProcessor").size(), "started again at most every retry-failed-after");
            assertEquals(1.0, gauge(vigil, "FAILED"));
            assertEquals(1.0, meters(vigil).counter("vigil.stream.processor.failures", "camera", "front-door").count());
        }
    }

    @Test
    void aProcessorStuckInStartingIsDeletedAndRecreatedWithTheSameSettings() throws Exception {
        String s = "stuck";
        String started = com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
        String more = """
                {"NotificationChannel":{"SNSTopicArn":"arn:aws:sns:us-east-1:123456789012:rekognition-events"},
                 "RegionsOfInterest":[{"BoundingBox":{"Width":0.5,"Height":0.5,"Left":0.25,"Top":0.25}}],
                 "KmsKeyId":"arn:aws:kms:us-east-1:123456789012:key/k-1","DataSharingPreference":{"OptIn":false}}
                """;
        fake.stub(s, started, "DescribeStreamProcessor", StreamProcessorFake.describedWith(NAME, "STARTING", KVS, KDS,
                "vigil-household", ROLE, more), null);
        fake.stub(s, null, "ListTagsForResource", ok("{\"Tags\":{\"vigil:managed\":\"true\",\"vigil:camera\":\"front-door\"}}"), null);
        // it went to STOPPED by itself meanwhile: StopStreamProcessor answers ResourceInUse, which is fine
        fake.stub(s, started, "StopStreamProcessor", error("ResourceInUseException", "Stream processor is in STOPPED state"), "stopped");
        fake.stub(s, "stopped", "DeleteStreamProcessor", ok("{}"), "deleted");
        fake.stub(s, "deleted", "CreateStreamProcessor", error("ResourceInUseException",
                "Stream processor with name vigil-front-door already exists"), "name-free"); // name reuse delay
        fake.stub(s, "name-free", "CreateStreamProcessor",
                ok("{\"StreamProcessorArn\":\"arn:aws:rekognition:us-east-1:123456789012:streamprocessor/vigil-front-door\"}"),
                "created");
        fake.stub(s, "created", "StartStreamProcessor", ok("{\"SessionId\":\"s-2\"}"), "running");
        fake.stub(s, "running", "DescribeStreamProcessor", described(NAME, "RUNNING", null, KVS, KDS, "vigil-household", ROLE), null);
        try (RunningVigil vigil = vigil()) {
            Streams.await(Duration.ofSeconds(15), () -> ready(vigil), "readiness UP");
            assertEquals(List.of("ListTagsForResource", "StopStreamProcessor", "DeleteStreamProcessor",
                    "CreateStreamProcessor", "CreateStreamProcessor", "StartStreamProcessor"),
                    fake.operations().stream().filter(op -> !op.equals("DescribeStreamProcessor")).toList());
            JsonNode create = JSON.readTree("""
                    {"Name":"vigil-front-door","Input":{"KinesisVideoStream":{"Arn":"%s"}},
                     "Output":{"KinesisDataStream":{"Arn":"%s"}},
                     "Settings":{"FaceSearch":{"CollectionId":"vigil-household","FaceMatchThreshold":80.0}},
                     "RoleArn":"%s","Tags":{"vigil:managed":"true","vigil:camera":"front-door"}}
                    """.formatted(KVS, KDS, ROLE));
            ((com.fasterxml.jackson.databind.node.ObjectNode) create).setAll(
                    (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(more)); // every setting kept
            assertEquals(List.of(create, create), fake.requests("CreateStreamProcessor"));
            List<ServeEvent> creates = fake.server().getAllServeEvents().stream().filter(e -> String.valueOf(
                    e.getRequest().getHeader("X-Amz-Target")).endsWith("CreateStreamProcessor"))
                    .sorted(java.util.Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
            long apart = creates.get(1).getRequest().getLoggedDate().getTime() - creates.get(0).getRequest().getLoggedDate().getTime();
            assertTrue(apart >= 250, "waits retry-delay before trying the name again, was " + apart + " ms");
            assertEquals(1.0, meters(vigil).counter("vigil.stream.processor.recreations", "camera", "front-door").count());
            assertEquals(List.of("stream processor of camera front-door has been STARTING for over 1 s; deleting and recreating it"),
                    warnings);
        }
    }

    @Test
    void closedStreamingIsOneClearWarningAndNotReady() throws Exception {
        fake.stub("closed", null, "DescribeStreamProcessor", error("AccessDeniedException",
                "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: rekognition:DescribeStreamProcessor"), null);
        try (RunningVigil vigil = vigil()) {
            Streams.await(Duration.ofSeconds(10), () -> fake.requests("DescribeStreamProcessor").size() >= 3, "3 checks");
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("closed to new AWS accounts since 2026-04-30")
                    && warnings.get(0).contains("`engine: image`"), warnings.get(0));
            assertTrue(!warnings.get(0).contains("alice"), "AWS's message names the caller: not logged");
            HealthCheck.Result ready = readiness(vigil);
            assertEquals(HealthCheck.State.DOWN, ready.getState());
            assertTrue(String.valueOf(ready.getDetails().get("camera.front-door")).startsWith("UNAVAILABLE"));
            assertTrue(fake.requests("StartStreamProcessor").isEmpty());
        }
    }

    private static JsonNode name() {
        return JSON.createObjectNode().put("Name", NAME);
    }

    private static boolean ready(RunningVigil vigil) {
        try {
            return readiness(vigil).getState() == HealthCheck.State.UP;
        } catch (AssertionError notYetRegistered) {
            return false;
        }
    }

    /**
     * The check as Camel's health-check registry holds and runs it: registered because it is a HealthCheck bean
     * in the registry, a readiness check only, and listed among the DOWN readiness checks when DOWN.
     */
    private static HealthCheck.Result readiness(RunningVigil vigil) {
        var context = vigil.main().getCamelContext();
        HealthCheck check = HealthCheckRegistry.get(context).getCheck("stream-processors")
                .orElseThrow(() -> new AssertionError("stream-processors is not in the health-check registry"));
        assertTrue(check.isReadiness() && !check.isLiveness());
        assertEquals("vigil", check.getGroup());
        HealthCheck.Result result = check.call();
        if (result.getState() == HealthCheck.State.DOWN) {
            Collection<HealthCheck.Result> listed = HealthCheckHelper.invokeReadiness(context);
            assertTrue(listed.stream().anyMatch(r -> r.getCheck().getId().equals("stream-processors")), listed.toString());
        }
        return result;
    }

    private static MeterRegistry meters(RunningVigil vigil) {
        return vigil.main().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
    }

    private static double gauge(RunningVigil vigil, String state) {
        return meters(vigil).get("vigil.stream.processor.state").tag("camera", "front-door").tag("state", state).gauge().value();
    }
}
