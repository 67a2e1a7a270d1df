package dev.vigil.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.ConfigException;
import dev.vigil.testing.Emulators;
import dev.vigil.testing.Moto;
import dev.vigil.testing.MotoKinesisVideo;
import dev.vigil.testing.StreamProcessorFake;
import dev.vigil.testing.Streams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * {@code vigil provision plan | apply | apply | destroy} against moto (Kinesis, Kinesis Video, SNS, IAM, STS) and
 * the Rekognition fake, asserting the resources through the AWS SDK and the exact Rekognition requests.
 */
@ExtendWith(Emulators.class)
class ProvisionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:vigil-alerts";
    private static final String BUCKET = "vigil-history-123456789012-us-east-1";

    @TempDir
    Path dir;
    Moto moto; // the shared emulator, emptied before each test (Emulators)
    private StreamProcessorFake rekognition;
    private MotoKinesisVideo kvs;
    private KinesisClient kinesis;
    private KinesisVideoClient video;
    private IamClient iam;
    private SnsClient sns;
    private DynamoDbClient dynamo;
    private S3Client s3;
    private Path household;

    @BeforeEach
    void emulators() throws Exception {
        rekognition = new StreamProcessorFake();
        kvs = new MotoKinesisVideo(moto.endpoint());
        URI endpoint = URI.create(moto.endpoint());
        Region region = Region.of(Moto.REGION);
        kinesis = KinesisClient.builder().endpointOverride(endpoint).region(region).build();
        video = KinesisVideoClient.builder().endpointOverride(endpoint).region(region).build();
        iam = IamClient.builder().endpointOverride(endpoint).region(region).build();
        sns = SnsClient.builder().endpointOverride(endpoint).region(region).build();
        dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(region).build();
        s3 = S3Client.builder().endpointOverride(endpoint).region(region).forcePathStyle(true).build();
        household = dir.resolve("household.yaml");
        Files.writeString(household, """
                cameras:
                  - id: front-door
                    name: Front door
                    kvsStream: front-door-cam
                    retention: 48h
                  - id: driveway
                    name: Driveway
                    kvsStream: driveway-cam
                    engine: image
                  - id: garden
                    name: Garden
                    kvsStream: garden-cam
                    engine: image
                rekognition:
                  collection: test-household
                channels:
                  sns:
                    topicArn: %s
                    subscriptions:
                      - {protocol: email, endpoint: me@example.org}
                      - {protocol: sms, endpoint: "+447700900123"}
                """.formatted(TOPIC));
    }

    @AfterEach
    void close() {
        rekognition.close();
        kvs.close();
        kinesis.close();
        video.close();
        iam.close();
        sns.close();
        dynamo.close();
        s3.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run provision(String stdin, String... args) {
        return provision(Map.of(), stdin, args);
    }

    private Run provision(Map<String, String> settings, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> overrides = new HashMap<>(Map.of("vigil.config", household.toString(),
                "vigil.aws.endpoint", moto.endpoint(), "vigil.aws.region", Moto.REGION,
                "vigil.aws.endpoints.kinesisvideo", kvs.endpoint(),
                "vigil.aws.endpoints.rekognition", rekognition.endpoint(),
                "vigil.provision.wait-step", "100ms", "vigil.provision.wait-timeout", "10s"));
        overrides.putAll(settings);
        int exit = Provision.run(List.of(args), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                overrides);
        Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        // the transcript, in the test log: what a user sees for each command against the emulators
        System.out.println("$ vigil provision " + String.join(" ", args) + "   (exit " + exit + ")\n" + run.out() + run.err());
        return run;
    }

    @Test
    void planApplyApplyDestroyCreatesExactlyTheHouseholdsResourcesAndRemovesOnlyVigils() throws Exception {
        // someone already has the garden camera's video stream: Vigil must use it and never delete it
        video.createStream(b -> b.streamName("garden-cam").dataRetentionInHours(2));

        Run plan = provision("", "plan");
        assertEquals(0, plan.exit(), plan.err());
        for (String line : List.of("+   rekognition collection test-household",
                "+   rekognition collection test-household-strangers", "+   sns topic vigil-alerts",
                "+   sns subscription email:me@example.org", "+   sns subscription sms:+447700900123",
                "+   kinesis video stream front-door-cam", "+   kinesis video stream driveway-cam",
                "+   kinesis data stream AmazonRekognition-front-door-cam", "+   iam role vigil-rekognition-front-door",
                "+   rekognition stream processor vigil-front-door", "retentionHours: 48",
                "tags: vigil:camera=front-door, vigil:managed=true",
                "trustPolicy: rekognition.amazonaws.com may sts:AssumeRole if aws:SourceArn, aws:SourceAccount",
                "+   dynamodb table vigil-history", "+   s3 bucket vigil-history-123456789012-us-east-1",
                "Plan: 12 to create, 0 to change, 0 to replace, 0 to delete.")) {
            assertTrue(plan.out().contains(line), "plan shows " + line + " in:\n" + plan.out());
        }
        assertTrue(plan.out().contains("Note: kinesis video stream garden-cam exists but was not created by Vigil"),
                plan.out());
        assertFalse(plan.out().contains("garden-cam\n"), "no change to someone else's stream");
        assertEquals(List.of("garden-cam"), video.listStreams().streamInfoList().stream().map(s -> s.streamName()).toList(),
                "plan changes nothing");
        assertTrue(kinesis.listStreams().streamNames().isEmpty());
        assertTrue(rekognition.operations().stream().allMatch(op -> op.startsWith("Describe") || op.startsWith("List")),
                rekognition.operations().toString());

        Run apply = provision("", "apply");
        assertEquals(0, apply.exit(), apply.err() + apply.out());
        assertTrue(apply.out().contains("Apply complete: 12 created, 0 changed, 0 replaced, 0 deleted."), apply.out());

        // video streams: retention and tags as stored by moto
        Map<String, JsonNode> streams = new HashMap<>();
        kvs.streams().forEach(s -> streams.put(s.get("stream_name").asText(), s));
        assertEquals(48, streams.get("front-door-cam").get("data_retention_in_hours").asInt());
        assertEquals(24, streams.get("driveway-cam").get("data_retention_in_hours").asInt());
        assertEquals(JSON.readTree("{\"vigil:managed\":\"true\",\"vigil:camera\":\"front-door\"}"),
                streams.get("front-door-cam").get("tags"));
        assertEquals(2, streams.get("garden-cam").get("data_retention_in_hours").asInt(), "untouched");
        String kvsArn = video.describeStream(b -> b.streamName("front-door-cam")).streamInfo().streamARN();

        // results stream: only for the stream-processor camera, tagged
        assertEquals(List.of("AmazonRekognition-front-door-cam"), kinesis.listStreams().streamNames());
        assertEquals(Map.of("vigil:managed", "true", "vigil:camera", "front-door"),
                kinesis.listTagsForStream(b -> b.streamName("AmazonRekognition-front-door-cam")).tags().stream()
                        .collect(Collectors.toMap(t -> t.key(), t -> t.value())));

        // the role: trusted by Rekognition for this account's processor only; least privilege
        var role = iam.getRole(b -> b.roleName("vigil-rekognition-front-door")).role();
        assertEquals("/vigil/", role.path());
        assertEquals(JSON.readTree("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
                 "Principal":{"Service":"rekognition.amazonaws.com"},
                 "Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},
                  "ArnLike":{"aws:SourceArn":"arn:aws:rekognition:us-east-1:123456789012:streamprocessor/vigil-front-door"}}}]}
                """), policy(role.assumeRolePolicyDocument()));
        assertEquals(JSON.readTree("""
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"WriteFaceSearchResults","Effect":"Allow","Action":["kinesis:PutRecord","kinesis:PutRecords"],
                  "Resource":"arn:aws:kinesis:us-east-1:123456789012:stream/AmazonRekognition-front-door-cam"},
                 {"Sid":"ReadCameraVideo","Effect":"Allow","Action":["kinesisvideo:GetDataEndpoint","kinesisvideo:GetMedia"],
                  "Resource":"arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door-cam/*"}]}
                """), policy(iam.getRolePolicy(b -> b.roleName("vigil-rekognition-front-door")
                .policyName("vigil-stream-processor")).policyDocument()));
        assertTrue(kvsArn.startsWith("arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door-cam/"));
        assertEquals(List.of("vigil-rekognition-front-door"), iam.listRoles().roles().stream().map(r -> r.roleName()).toList(),
                "one role: image cameras need none");

        // topic and subscriptions
        assertEquals(List.of(TOPIC), sns.listTopics().topics().stream().map(t -> t.topicArn()).toList());
        assertEquals(Set.of("email:me@example.org", "sms:+447700900123"), sns.listSubscriptionsByTopic(b -> b.topicArn(TOPIC))
                .subscriptions().stream().map(s -> s.protocol() + ":" + s.endpoint()).collect(Collectors.toSet()));
        assertEquals("true", sns.listTagsForResource(b -> b.resourceArn(TOPIC)).tags().get(0).value());

        // the alert history's store: the runtime's schema (AwsHistoryStore), tagged like the rest
        var table = dynamo.describeTable(b -> b.tableName("vigil-history")).table();
        assertEquals("byTime", table.globalSecondaryIndexes().get(0).indexName());
        assertEquals("id", table.keySchema().get(0).attributeName());
        assertEquals(List.of("vigil:managed=true"), dynamo.listTagsOfResource(b -> b.resourceArn(table.tableArn())).tags()
                .stream().map(t -> t.key() + "=" + t.value()).toList());
        assertEquals(List.of("vigil:managed=true"), s3.getBucketTagging(b -> b.bucket(BUCKET)).tagSet().stream()
                .map(t -> t.key() + "=" + t.value()).toList());

        // Rekognition: exactly these requests
        assertEquals(List.of(JSON.readTree("{\"CollectionId\":\"test-household\",\"Tags\":{\"vigil:managed\":\"true\"}}"),
                JSON.readTree("{\"CollectionId\":\"test-household-strangers\",\"Tags\":{\"vigil:managed\":\"true\"}}")),
                rekognition.requests("CreateCollection"));
        assertEquals(List.of(JSON.readTree("""
                {"Name":"vigil-front-door",
                 "Input":{"KinesisVideoStream":{"Arn":"%s"}},
                 "Output":{"KinesisDataStream":{"Arn":"arn:aws:kinesis:us-east-1:123456789012:stream/AmazonRekognition-front-door-cam"}},
                 "Settings":{"FaceSearch":{"CollectionId":"test-household","FaceMatchThreshold":80.0}},
                 "RoleArn":"arn:aws:iam::123456789012:role/vigil/vigil-rekognition-front-door",
                 "Tags":{"vigil:managed":"true","vigil:camera":"front-door"}}
                """.formatted(kvsArn))), rekognition.requests("CreateStreamProcessor"));
        assertEquals("STOPPED", rekognition.processors().get("vigil-front-door").get("Status").asText(),
                "provisioning does not start it (the running app does)");

        int requestsBefore = rekognition.operations().size();
        Run again = provision("", "apply");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("No changes."), again.out());
        assertTrue(rekognition.operations().subList(requestsBefore, rekognition.operations().size()).stream()
                .noneMatch(op -> op.startsWith("Create") || op.startsWith("Delete")));

        Run refused = provision("no\n", "destroy");
        assertEquals(3, refused.exit());
        assertTrue(refused.out().contains("Destroy cancelled; nothing was deleted."), refused.out());
        assertEquals(1, kinesis.listStreams().streamNames().size());

        Run destroy = provision("", "destroy", "--yes");
        assertEquals(0, destroy.exit(), destroy.err() + destroy.out());
        for (String line : List.of("-   rekognition stream processor vigil-front-door", "-   iam role vigil-rekognition-front-door",
                "-   kinesis data stream AmazonRekognition-front-door-cam", "-   kinesis video stream front-door-cam",
                "-   kinesis video stream driveway-cam", "-   sns topic vigil-alerts", "-   rekognition collection test-household",
                "-   rekognition collection test-household-strangers", "its 0 enrolled face(s) are deleted with it", "Note: kinesis video stream garden-cam was not created by Vigil")) {
            assertTrue(destroy.out().contains(line), "destroy shows " + line + " in:\n" + destroy.out());
        }
        assertEquals(List.of("garden-cam"), video.listStreams().streamInfoList().stream().map(s -> s.streamName()).toList(),
                "only Vigil's streams are deleted");
        assertTrue(kinesis.listStreams().streamNames().isEmpty());
        assertTrue(iam.listRoles().roles().isEmpty());
        assertTrue(sns.listTopics().topics().isEmpty());
        assertTrue(rekognition.processors().isEmpty());
        assertTrue(rekognition.collections().isEmpty());
        assertEquals(List.of(JSON.readTree("{\"Name\":\"vigil-front-door\"}")), rekognition.requests("StopStreamProcessor"),
                "a stopped processor is stopped anyway (ResourceInUse is expected) before it is deleted");

        // the household's records are kept unless asked
        for (String line : List.of("Note: kept: dynamodb table vigil-history (holds the alert history; --include-history deletes it)",
                "Note: kept: s3 bucket " + BUCKET + " (holds the alert history; --include-history deletes it)")) {
            assertTrue(destroy.out().contains(line), "destroy shows " + line + " in:\n" + destroy.out());
        }
        assertEquals(List.of("vigil-history"), dynamo.listTables().tableNames());
        s3.putObject(b -> b.bucket(BUCKET).key("face/a1.jpg"), software.amazon.awssdk.core.sync.RequestBody.fromString("jpeg"));
        Run history = provision("", "destroy", "--yes", "--include-history");
        assertEquals(0, history.exit(), history.err() + history.out());
        assertTrue(history.out().contains("Destroy complete: 0 created, 0 changed, 0 replaced, 2 deleted."), history.out());
        assertTrue(dynamo.listTables().tableNames().isEmpty());
        assertTrue(s3.listBuckets().buckets().isEmpty(), "the bucket, emptied first, is gone");
    }

    @Test
    void withTheHistoryDisabledNoTableOrBucketIsDeclared() {
        Run plan = provision(Map.of("vigil.history.enabled", "false"), "", "plan");
        assertTrue(plan.out().contains("Plan: 11 to create, 0 to change, 0 to replace, 0 to delete."), plan.out()); // garden-cam too
        assertFalse(plan.out().contains("vigil-history"), plan.out());
    }

    @Test
    void aChangedProcessorIsReplacedOnceItsNameIsReusable() throws Exception {
        rekognition.nameReuseDelay(java.time.Duration.ofMillis(500));
        assertEquals(0, provision("", "apply").exit());
        int before = rekognition.operations().size();
        Map<String, String> stricter = Map.of("vigil.provision.face-match-threshold", "85");

        Run plan = provision(stricter, "", "plan");
        assertTrue(plan.out().contains("""
                  -/+ rekognition stream processor vigil-front-door
                        faceMatchThreshold: 80 -> 85
                """), plan.out());
        assertTrue(plan.out().contains("Plan: 0 to create, 0 to change, 1 to replace, 0 to delete."), plan.out());

        Run apply = provision(stricter, "", "apply");
        assertEquals(0, apply.exit(), apply.err());
        List<String> calls = rekognition.operations().subList(before, rekognition.operations().size()).stream()
                .filter(op -> !op.startsWith("Describe") && !op.startsWith("List")).toList();
        assertEquals(List.of("StopStreamProcessor", "DeleteStreamProcessor", "CreateStreamProcessor"),
                calls.stream().distinct().toList());
        assertTrue(calls.stream().filter(op -> op.equals("CreateStreamProcessor")).count() >= 2,
                "the first create meets the name reuse delay (ResourceInUse) and is retried: " + calls);
        assertEquals(85.0, rekognition.processors().get("vigil-front-door").path("Settings").path("FaceSearch")
                .path("FaceMatchThreshold").asDouble());
        assertTrue(provision(stricter, "", "apply").out().contains("No changes."));
    }

    @Test
    void aRemovedCamerasProcessorAndRoleAreDeletedButNotSomeoneElses() throws Exception {
        Files.writeString(household, """
                cameras:
                  - {id: front-door, name: Front door, kvsStream: front-door-cam}
                  - {id: back, name: Back, kvsStream: back-cam}
                """);
        assertEquals(0, provision("", "apply").exit());
        try (var client = software.amazon.awssdk.services.rekognition.RekognitionClient.builder()
                .endpointOverride(URI.create(rekognition.endpoint())).region(Region.US_EAST_1).build()) {
            client.createStreamProcessor(b -> b.name("vigil-by-hand").roleArn("arn:aws:iam::123456789012:role/mine")
                    .input(i -> i.kinesisVideoStream(k -> k.arn("arn:aws:kinesisvideo:us-east-1:123456789012:stream/x/1")))
                    .output(o -> o.kinesisDataStream(k -> k.arn("arn:aws:kinesis:us-east-1:123456789012:stream/y")))
                    .settings(x -> x.faceSearch(f -> f.collectionId("c"))));
        }
        Files.writeString(household, """
                cameras:
                  - {id: front-door, name: Front door, kvsStream: front-door-cam}
                """);
        Run plan = provision("", "plan");
        assertTrue(plan.out().contains("""
                  -   rekognition stream processor vigil-back
                        no longer in the household file (camera back)
                  -   iam role vigil-rekognition-back
                        no longer in the household file (camera back)
                """), plan.out());
        assertTrue(plan.out().contains("Plan: 0 to create, 0 to change, 0 to replace, 2 to delete."), plan.out());
        assertEquals(0, provision("", "apply").exit());
        assertEquals(Set.of("vigil-front-door", "vigil-by-hand"), rekognition.processors().keySet());
        assertEquals(List.of("vigil-rekognition-front-door"), iam.listRoles().roles().stream().map(r -> r.roleName()).toList());
        assertEquals(2, kinesis.listStreams().streamNames().size(), "streams (data!) of a removed camera are kept");
    }

    @Test
    void policyPrintsTheRuntimePolicyForThisAccountAndRegion() throws Exception {
        Run policy = provision("", "policy");
        assertEquals(0, policy.exit(), policy.err());
        JsonNode document = JSON.readTree(policy.out());
        assertEquals("2012-10-17", document.get("Version").asText());
        assertTrue(policy.out().contains("arn:aws:kinesis:us-east-1:123456789012:stream/AmazonRekognition-front-door-cam"));
        assertTrue(policy.out().contains("\"Resource\" : \"" + TOPIC + "\""), policy.out());
        assertTrue(rekognition.operations().isEmpty(), "printing the policy calls nothing but STS");
    }

    @Test
    void closedStreamingGetsOneLinePointingToTheImageEngine() {
        rekognition.stub("closed", null, "DescribeStreamProcessor", StreamProcessorFake.error("AccessDeniedException",
                "User: arn:aws:iam::123456789012:user/me is not authorized to perform: rekognition:DescribeStreamProcessor"), null);
        Run plan = provision("", "plan");
        assertEquals(1, plan.exit());
        assertEquals(1, plan.err().lines().count(), plan.err());
        assertTrue(plan.err().contains("closed to new AWS accounts since 2026-04-30")
                && plan.err().contains("`engine: image`"), plan.err());
    }

    @Test
    void badUsageAndMissingConfigAreRefusedBeforeAnyAwsCall() {
        assertThrows(IllegalArgumentException.class, () -> provision("", "deploy"));
        assertThrows(IllegalArgumentException.class, () -> provision("", "apply", "--yes"));
        assertThrows(IllegalArgumentException.class, () -> provision("", "apply", "--include-history"));
        household = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> provision("", "plan"));
        assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());
        assertTrue(rekognition.operations().isEmpty());
    }

    private static JsonNode policy(String document) throws Exception {
        String text = document.startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
        return JSON.readTree(text);
    }
}
