package dev.vigil.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Json;
import dev.vigil.VigilConfiguration;
import dev.vigil.aws.AwsClients;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.testing.Photos;
import dev.vigil.testing.RekognitionFake;
import dev.vigil.testing.RekognitionFake.Box;
import dev.vigil.testing.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrol, list and forget through the real AWS SDK against the Rekognition fake on 127.0.0.1, asserting the
 * exact requests Vigil sends. The household is the bundled example (people alice and bob).
 */
class FaceCollectionTest {

    static final String COLLECTION = "vigil-household";
    static RekognitionFake fake;
    static AwsClients aws;

    @TempDir
    Path dataDir;
    FaceCollection faces;

    @BeforeAll
    static void start() {
        Streams.useEmulatorCredentials();
        fake = new RekognitionFake();
        aws = new AwsClients("us-east-1", "", Map.of("rekognition", fake.endpoint()));
    }

    @AfterAll
    static void stop() {
        aws.close();
        fake.close();
    }

    @BeforeEach
    void fresh() {
        fake.reset();
        faces = new FaceCollection(aws.rekognition(), HouseholdLoader.load(VigilConfiguration.EMBEDDED_HOUSEHOLD),
                new FaceAudit(dataDir, Json.mapper(), Clock.fixed(Instant.parse("2026-11-25T15:00:00Z"), ZoneOffset.UTC)));
    }

    @Test
    void enrolCreatesTheMissingCollectionAndIndexesOneFacePerPhoto() {
        byte[] one = Photos.image("jpeg", 200, 200, 1);
        byte[] two = Photos.image("png", 300, 240, 2);
        var enrolment = faces.enrol("carol", List.of(Photo.check("one.jpg", one), Photo.check("two.png", two)), null,
                "cli tester");

        assertEquals(2, enrolment.indexed().size());
        assertTrue(enrolment.notIndexed().isEmpty());
        assertFalse(enrolment.inHousehold());
        assertEquals(List.of(COLLECTION), fake.requests("CreateCollection").stream()
                .map(r -> r.get("CollectionId").asText()).toList());
        List<JsonNode> index = fake.requests("IndexFaces");
        assertEquals(3, index.size(), "the first IndexFaces met ResourceNotFoundException, then was repeated");
        for (JsonNode r : index) {
            assertEquals(COLLECTION, r.get("CollectionId").asText());
            assertEquals("carol", r.get("ExternalImageId").asText());
            assertEquals(1, r.get("MaxFaces").asInt());
            assertEquals("AUTO", r.get("QualityFilter").asText());
            assertEquals("[\"DEFAULT\"]", r.get("DetectionAttributes").toString());
        }
        assertEquals(Base64.getEncoder().encodeToString(two), index.get(2).get("Image").get("Bytes").asText());
        assertEquals(2, fake.requests("DetectFaces").size());
        List<String> stored = fake.faces(COLLECTION).stream().map(RekognitionFake.StoredFace::faceId).toList();
        assertEquals(stored, enrolment.indexed().stream().map(FaceCollection.PhotoResult::faceId).toList());
        assertTrue(fake.faces(COLLECTION).stream().allMatch(f -> f.externalImageId().equals("carol")));
    }

    @Test
    void anEnrolmentThatFailsHalfWayAuditsTheFacesItIndexed() throws Exception {
        fake.createCollection(COLLECTION);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        fake.on("IndexFaces", request -> calls.incrementAndGet() == 1
                ? new RekognitionFake.Reply(200, "{\"FaceRecords\":[{\"Face\":{\"FaceId\":\"f-1\"}}],\"UnindexedFaces\":[]}")
                : RekognitionFake.error("InvalidImageFormatException", "Request has invalid image format"));
        byte[] one = Photos.image("jpeg", 200, 200, 1);
        byte[] two = Photos.image("png", 300, 240, 2);
        Refused refused = org.junit.jupiter.api.Assertions.assertThrows(Refused.class,
                () -> faces.enrol("carol", List.of(Photo.check("one.jpg", one), Photo.check("two.png", two)), null, "cli tester"));
        assertTrue(refused.getMessage().startsWith("two.png: "), refused.getMessage());
        List<String> audit = Files.readAllLines(dataDir.resolve("audit/faces.jsonl"));
        assertEquals(1, audit.size(), "what did happen is audited");
        JsonNode record = Json.mapper().readTree(audit.get(0));
        assertEquals(1, record.get("facesIndexed").asInt(), record.toString());
        assertTrue(record.toString().contains("\"f-1\""), "the face id indexed before the failure: " + record);
        assertTrue(record.toString().contains("two.png: Refused"), record.toString());
    }

    @Test
    void facesRekognitionWillNotIndexAreReportedWithItsReasonsInPlainWords() {
        fake.createCollection(COLLECTION);
        byte[] blurred = Photos.image("jpeg", 200, 200, 3);
        fake.photoUnusable(blurred, "LOW_SHARPNESS", "EXTREME_POSE");
        var enrolment = faces.enrol("alice", List.of(Photo.check("blurred.jpg", blurred)), null, "cli tester");

        assertTrue(enrolment.indexed().isEmpty());
        assertEquals(List.of("the face is blurred; use a sharper photo",
                        "the head is turned or tilted too far; use a photo looking at the camera"),
                enrolment.notIndexed().get(0).reasons());
        assertTrue(fake.faces(COLLECTION).isEmpty());
        assertTrue(enrolment.inHousehold());
    }

    @Test
    void aPhotoWithSeveralFacesIsRefusedUnlessOneIsChosen() {
        fake.createCollection(COLLECTION);
        byte[] group = Photos.image("jpeg", 600, 400, 4);
        fake.photoShows(group, new Box(0.6, 0.2, 0.2, 0.3), new Box(0.1, 0.3, 0.15, 0.2));
        Photo photo = Photo.check("group.jpg", group);

        Refused refused = assertThrows(Refused.class, () -> faces.enrol("alice", List.of(photo), null, "cli tester"));
        assertEquals(422, refused.status());
        assertTrue(refused.getMessage().contains("shows 2 faces"), refused.getMessage());
        assertTrue(fake.requests("IndexFaces").isEmpty(), "nothing indexed");
        assertEquals(400, assertThrows(Refused.class, () -> faces.enrol("alice", List.of(photo), 3, "cli tester")).status());
        assertTrue(fake.requests("IndexFaces").isEmpty(), "nothing indexed");

        var enrolment = faces.enrol("alice", List.of(photo), 1, "cli tester"); // 1 = leftmost, at 0.1
        assertEquals(1, enrolment.indexed().size());
        JsonNode sent = fake.requests("IndexFaces").get(0);
        byte[] crop = Base64.getDecoder().decode(sent.get("Image").get("Bytes").asText());
        assertEquals("jpeg", Photo.format(crop));
        int[] size = Photos.size(crop);
        assertTrue(size[0] >= 80 && size[1] >= 80 && size[0] < 600 && size[1] < 400, size[0] + "x" + size[1]);
        assertEquals("alice", sent.get("ExternalImageId").asText());
    }

    @Test
    void aPhotoWithoutAFaceIsRefusedBeforeAnythingIsIndexed() {
        fake.createCollection(COLLECTION);
        byte[] good = Photos.image("jpeg", 200, 200, 5);
        byte[] empty = Photos.image("jpeg", 200, 200, 6);
        fake.photoShows(empty);
        Refused refused = assertThrows(Refused.class, () -> faces.enrol("alice",
                List.of(Photo.check("good.jpg", good), Photo.check("wall.jpg", empty)), null, "cli tester"));
        assertEquals(422, refused.status());
        assertTrue(refused.getMessage().startsWith("wall.jpg: "), refused.getMessage());
        assertTrue(fake.requests("IndexFaces").isEmpty(), "the good photo was not indexed either");
    }

    @Test
    void listCountsFacesPerPersonAcrossPages() {
        for (String person : List.of("alice", "bob", "alice", "carol", "alice")) {
            fake.seedFace(COLLECTION, person, null);
        }
        fake.pageSize(2);
        var people = faces.people();

        assertEquals(List.of(new FaceCollection.Person("alice", 3, true), new FaceCollection.Person("bob", 1, true),
                new FaceCollection.Person("carol", 1, false)), people);
        List<JsonNode> pages = fake.requests("ListFaces");
        assertEquals(3, pages.size());
        assertFalse(pages.get(0).has("NextToken"));
        assertTrue(pages.get(1).hasNonNull("NextToken"));
        assertNotEquals(pages.get(1).get("NextToken"), pages.get(2).get("NextToken"));
        pages.forEach(p -> assertEquals(COLLECTION, p.get("CollectionId").asText()));
    }

    @Test
    void listWithoutACollectionShowsTheHouseholdsPeopleWithNoFaces() {
        assertEquals(List.of(new FaceCollection.Person("alice", 0, true), new FaceCollection.Person("bob", 0, true)),
                faces.people());
    }

    @Test
    void forgetDisassociatesUserVectorsThenDeletesEveryFaceOfThePersonAndAudits() throws Exception {
        List<String> alice = new ArrayList<>();
        alice.add(fake.seedFace(COLLECTION, "alice", "user-a"));
        String bob = fake.seedFace(COLLECTION, "bob", null);
        alice.add(fake.seedFace(COLLECTION, "alice", null));
        alice.add(fake.seedFace(COLLECTION, "alice", "user-a"));
        fake.pageSize(2);

        var forgotten = faces.forget("alice", "cli tester");

        assertEquals(3, forgotten.facesFound());
        assertEquals(3, forgotten.facesRemoved());
        assertEquals(1, forgotten.usersDisassociated());
        assertTrue(forgotten.stillInHousehold());
        JsonNode disassociate = fake.requests("DisassociateFaces").get(0);
        assertEquals("user-a", disassociate.get("UserId").asText());
        assertEquals(List.of(alice.get(0), alice.get(2)), texts(disassociate.get("FaceIds")));
        assertFalse(disassociate.get("ClientRequestToken").asText().isEmpty());
        List<JsonNode> deletes = fake.requests("DeleteFaces");
        assertEquals(1, deletes.size());
        assertEquals(COLLECTION, deletes.get(0).get("CollectionId").asText());
        assertEquals(Set.copyOf(alice), new HashSet<>(texts(deletes.get(0).get("FaceIds"))));
        assertEquals(List.of(bob), fake.faces(COLLECTION).stream().map(RekognitionFake.StoredFace::faceId).toList());

        List<String> audit = Files.readAllLines(dataDir.resolve("audit/faces.jsonl"));
        assertEquals(1, audit.size());
        JsonNode record = Json.mapper().readTree(audit.get(0));
        assertEquals("forget", record.get("action").asText());
        assertEquals("alice", record.get("person").asText());
        assertEquals("cli tester", record.get("requestedBy").asText());
        assertEquals("2026-11-25T15:00:00Z", record.get("time").asText());
        assertEquals(3, record.get("facesRemoved").asInt());
    }

    @Test
    void forgetDeletesInBatchesOf4096() {
        for (int i = 0; i < 4100; i++) {
            fake.seedFace(COLLECTION, "alice", null);
        }
        var forgotten = faces.forget("alice", "cli tester");
        assertEquals(4100, forgotten.facesRemoved());
        assertEquals(List.of(4096, 4), fake.requests("DeleteFaces").stream().map(r -> r.get("FaceIds").size()).toList());
        assertTrue(fake.faces(COLLECTION).isEmpty());
    }

    @Test
    void forgettingSomeoneWithoutFacesChangesNothing() {
        fake.seedFace(COLLECTION, "bob", null);
        var forgotten = faces.forget("alice", "cli tester");
        assertEquals(0, forgotten.facesFound());
        assertTrue(fake.requests("DeleteFaces").isEmpty());
        assertFalse(Files.exists(dataDir.resolve("audit/faces.jsonl")));
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
