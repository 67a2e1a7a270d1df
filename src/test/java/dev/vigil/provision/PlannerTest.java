package dev.vigil.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure part of provisioning: what a household file asks for, and the changes against what exists. */
class PlannerTest {

    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "eu-west-2";

    @TempDir
    Path dir;

    private Household household(String yaml) throws Exception {
        Path file = dir.resolve("h.yaml");
        Files.writeString(file, yaml);
        return HouseholdLoader.load(file.toString());
    }

    private List<Resource> example() {
        return Desired.of(HouseholdLoader.load("classpath:config/household.example.yaml"), ACCOUNT, REGION, 80);
    }

    /** What AWS would answer once {@code resources} exist exactly as desired. */
    private static Map<String, Resource> existing(List<Resource> resources) {
        Map<String, Resource> found = new HashMap<>();
        resources.forEach(r -> found.put(r.key(), r));
        return found;
    }

    private static Resource with(Resource r, String key, String value) {
        TreeMap<String, String> attributes = new TreeMap<>(r.attributes());
        attributes.put(key, value);
        return new Resource(r.kind(), r.name(), attributes, r.tags());
    }

    private static Resource find(List<Resource> resources, Kind kind, String name) {
        return resources.stream().filter(r -> r.kind() == kind && r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theExampleHouseholdNeedsPerCameraStreamsRolesAndProcessorsAndOneCollection() {
        List<Resource> desired = example();
        Planner.Plan plan = Planner.apply(desired, Map.of());
        assertEquals(2 + 3 * 4, plan.count(Change.Action.CREATE), "collection, strangers; per camera video, data stream, role, processor");
        assertEquals(Kind.COLLECTION, plan.changes().get(0).kind(), "created first: processors refer to it");
        assertEquals(Kind.STREAM_PROCESSOR, plan.changes().get(plan.changes().size() - 1).kind());
        Resource processor = find(desired, Kind.STREAM_PROCESSOR, "vigil-front-door");
        assertEquals("arn:aws:iam::123456789012:role/vigil/vigil-rekognition-front-door", processor.attribute("roleArn"));
        assertEquals("AmazonRekognition-front-door-cam", processor.attribute("output"));
        assertEquals("vigil-household", processor.attribute("collection"));
        assertEquals("80", processor.attribute("faceMatchThreshold"));
        assertEquals("24", find(desired, Kind.VIDEO_STREAM, "front-door-cam").attribute("retentionHours"));
    }

    @Test
    void nothingToDoWhenEverythingExistsAsDesired() {
        assertTrue(Planner.apply(example(), existing(example())).isEmpty());
    }

    @Test
    void retentionPoliciesAndTagsChangeInPlaceButAProcessorIsReplaced() {
        List<Resource> desired = example();
        Map<String, Resource> found = existing(desired);
        Resource video = find(desired, Kind.VIDEO_STREAM, "driveway-cam");
        found.put(video.key(), with(video, "retentionHours", "2"));
        Resource role = find(desired, Kind.ROLE, "vigil-rekognition-front-door");
        found.put(role.key(), with(role, "policy", Policies.processor(ACCOUNT, REGION, "other", "other", null)));
        Resource processor = find(desired, Kind.STREAM_PROCESSOR, "vigil-back-garden");
        found.put(processor.key(), with(processor, "collection", "old-collection"));
        Resource stream = find(desired, Kind.DATA_STREAM, "AmazonRekognition-front-door-cam");
        found.put(stream.key(), new Resource(stream.kind(), stream.name(), stream.attributes(),
                Map.of(Names.MANAGED_TAG, "true")));

        Planner.Plan plan = Planner.apply(desired, found);
        assertEquals(List.of("~ kinesis video stream driveway-cam [retentionHours: 2 -> 24]",
                "~ kinesis data stream AmazonRekognition-front-door-cam [tag vigil:camera: (none) -> front-door]",
                "~ iam role vigil-rekognition-front-door [policy changed]",
                "-/+ rekognition stream processor vigil-back-garden [collection: old-collection -> vigil-household]"),
                plan.changes().stream().map(c -> c.action().symbol() + " " + c.kind().label() + " " + c.name() + " "
                        + c.details()).toList());
    }

    @Test
    void resourcesVigilDidNotCreateAreNeverChangedOrDeleted() {
        List<Resource> desired = example();
        Map<String, Resource> found = existing(desired);
        Resource video = find(desired, Kind.VIDEO_STREAM, "front-door-cam");
        found.put(video.key(), new Resource(Kind.VIDEO_STREAM, video.name(), Map.of("retentionHours", "0"), Map.of()));

        Planner.Plan apply = Planner.apply(desired, found);
        assertTrue(apply.isEmpty());
        assertEquals(List.of("kinesis video stream front-door-cam exists but was not created by Vigil (no vigil:managed=true"
                + " tag): left as it is, although it differs (retentionHours: 0 -> 24)"), apply.notes());

        Planner.Plan destroy = Planner.destroy(desired, found);
        assertEquals(13, destroy.count(Change.Action.DELETE));
        assertTrue(destroy.changes().stream().noneMatch(c -> c.name().equals("front-door-cam")));
        assertEquals(Kind.STREAM_PROCESSOR, destroy.changes().get(0).kind(), "processors go first");
        assertEquals(Kind.COLLECTION, destroy.changes().get(destroy.changes().size() - 1).kind());
    }

    @Test
    void destroyKeepsTheHistoryTableAndBucketUnlessIncluded() {
        List<Resource> desired = new java.util.ArrayList<>(example());
        desired.addAll(Desired.history(Names.HISTORY_TABLE, Names.historyBucket(ACCOUNT, REGION)));
        Planner.Plan create = Planner.apply(desired, Map.of());
        assertEquals(List.of(Kind.HISTORY_TABLE, Kind.HISTORY_BUCKET), create.changes().subList(0, 2).stream()
                .map(Change::kind).toList(), "the store first, before the resources whose alerts it records");
        assertEquals("tags: vigil:managed=true", create.changes().get(0).details().get(0));

        Planner.Plan kept = Planner.destroy(desired, existing(desired), List.of());
        assertEquals(14, kept.count(Change.Action.DELETE));
        assertTrue(kept.changes().stream().noneMatch(c -> c.kind().holdsHistory()), kept.changes().toString());
        assertEquals(List.of("kept: dynamodb table vigil-history (holds the alert history; --include-history deletes it)",
                "kept: s3 bucket vigil-history-123456789012-eu-west-2 (holds the alert history; --include-history"
                        + " deletes it)"), kept.notes().stream().sorted().toList());

        Planner.Plan all = Planner.destroy(desired, existing(desired), List.of(), true);
        assertEquals(16, all.count(Change.Action.DELETE));
        assertTrue(all.notes().isEmpty());
        assertEquals(Kind.HISTORY_TABLE, all.changes().get(all.changes().size() - 1).kind(), "the records go last");
    }

    @Test
    void destroyOnlyDeletesWhatExists() {
        assertTrue(Planner.destroy(example(), Map.of()).isEmpty());
    }

    @Test
    void aConfiguredRoleMeansNoRoleIsCreatedAndImageCamerasNeedNoProcessor() throws Exception {
        List<Resource> desired = Desired.of(household("""
                cameras:
                  - {id: a, name: A, kvsStream: a-cam}
                  - {id: b, name: B, kvsStream: b-cam, engine: image, retention: 30m}
                rekognition:
                  processorRoleArn: arn:aws:iam::123456789012:role/mine
                """), ACCOUNT, REGION, 85);
        assertEquals(List.of("COLLECTION/vigil-household", "COLLECTION/vigil-household-strangers", "VIDEO_STREAM/a-cam", "DATA_STREAM/AmazonRekognition-a-cam",
                "STREAM_PROCESSOR/vigil-a", "VIDEO_STREAM/b-cam"), desired.stream().map(Resource::key).toList());
        assertEquals("arn:aws:iam::123456789012:role/mine", find(desired, Kind.STREAM_PROCESSOR, "vigil-a").attribute("roleArn"));
        assertEquals("85", find(desired, Kind.STREAM_PROCESSOR, "vigil-a").attribute("faceMatchThreshold"));
        assertEquals("1", find(desired, Kind.VIDEO_STREAM, "b-cam").attribute("retentionHours"), "rounded up to hours");
    }

    @Test
    void badProvisioningSettingsNameTheKey() throws Exception {
        ConfigException retention = assertThrows(ConfigException.class, () -> Desired.of(household("""
                cameras:
                  - {id: a, name: A, kvsStream: a-cam, retention: 0s}
                """), ACCOUNT, REGION, 80));
        assertTrue(retention.getMessage().startsWith("cameras[0].retention: must be more than 0"), retention.getMessage());
        ConfigException region = assertThrows(ConfigException.class, () -> Desired.of(household("""
                channels:
                  sns: {topicArn: "arn:aws:sns:us-east-1:123456789012:alerts"}
                """), ACCOUNT, REGION, 80));
        assertTrue(region.getMessage().startsWith("channels.sns.topicArn: names region us-east-1"), region.getMessage());
        ConfigException protocol = assertThrows(ConfigException.class, () -> Desired.of(household("""
                channels:
                  sns:
                    topicArn: "arn:aws:sns:eu-west-2:123456789012:alerts"
                    subscriptions: [{protocol: carrier-pigeon, endpoint: loft}]
                """), ACCOUNT, REGION, 80));
        assertTrue(protocol.getMessage().startsWith("channels.sns.subscriptions[0].protocol"), protocol.getMessage());
    }

    @Test
    void longCameraIdsGiveValidStableNames() {
        String id = "x".repeat(128);
        assertEquals(64, Names.role(id).length());
        assertEquals(128, Names.processor(id).length());
        assertEquals(Names.role(id), Names.role(id));
        assertTrue(!Names.role(id).equals(Names.role("x".repeat(127) + "y")));
    }
}
