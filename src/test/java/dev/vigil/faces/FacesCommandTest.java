package dev.vigil.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Json;
import dev.vigil.testing.Photos;
import dev.vigil.testing.RekognitionFake;
import dev.vigil.testing.Streams;
import dev.vigil.testing.VigilProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil faces add|list|forget}: in-process through FacesCommand (settings as JVM system properties,
 * which override vigil.* keys), and as a child process through the jar's main class for the exit codes.
 */
class FacesCommandTest {

    static RekognitionFake fake;
    @TempDir
    static Path dataDir;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        Streams.useEmulatorCredentials();
        fake = new RekognitionFake();
        System.setProperty("vigil.aws.endpoints.rekognition", fake.endpoint());
        System.setProperty("vigil.data.dir", dataDir.toString());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("vigil.aws.endpoints.rekognition");
        System.clearProperty("vigil.data.dir");
        fake.close();
    }

    @BeforeEach
    void fresh() {
        fake.reset();
    }

    record Run(int code, String out, String err) {
    }

    static Run faces(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FacesCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path file(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void addListAndForgetWithConfirmation() throws Exception {
        String a = file("a.jpg", Photos.image("jpeg", 200, 200, 11)).toString();
        String b = file("b.png", Photos.image("png", 160, 200, 12)).toString();

        Run added = faces("add", "carol", a, b);
        assertEquals(0, added.code(), added.err());
        assertTrue(added.out().contains("2 of 2 photo(s) of carol indexed into collection vigil-household"), added.out());
        assertTrue(added.out().contains("does not list carol"), added.out());
        assertEquals(2, fake.faces("vigil-household").size());

        Run list = faces("list");
        assertEquals(0, list.code());
        assertTrue(list.out().matches("(?s).*carol +2 face\\(s\\)  \\(not in the household file\\).*"), list.out());
        assertTrue(list.out().matches("(?s).*alice +0 face\\(s\\)\n.*"), list.out());

        Run unconfirmed = faces("forget", "carol");
        assertEquals(2, unconfirmed.code());
        assertTrue(unconfirmed.out().contains("would remove 2 face(s) of carol"), unconfirmed.out());
        assertTrue(fake.requests("DeleteFaces").isEmpty());

        Run forgot = faces("forget", "carol", "--yes");
        assertEquals(0, forgot.code(), forgot.err());
        assertTrue(forgot.out().contains("removed 2 of 2 face(s) of carol"), forgot.out());
        assertTrue(fake.faces("vigil-household").isEmpty());
        List<String> audit = Files.readAllLines(dataDir.resolve("audit/faces.jsonl"));
        JsonNode last = Json.mapper().readTree(audit.get(audit.size() - 1));
        assertEquals("forget-everywhere", last.get("action").asText());
        assertEquals("cli " + System.getProperty("user.name"), last.get("requestedBy").asText());
        assertEquals(2, last.get("collectionFaces").asInt());
    }

    @Test
    void forgettingSomeoneTheHouseholdStillListsSaysSo() throws Exception {
        fake.seedFace("vigil-household", "bob", null);
        Run forgot = faces("forget", "bob", "--yes");
        assertEquals(0, forgot.code());
        assertTrue(forgot.out().contains("the household file still lists bob"), forgot.out());
    }

    @Test
    void badInputExits2AndCallsNothing() throws Exception {
        String tiny = file("tiny.png", Photos.png(10, 10)).toString();
        String text = file("notes.jpg", "not a photo".getBytes(StandardCharsets.UTF_8)).toString();
        String good = file("good.jpg", Photos.jpeg(200, 200)).toString();
        assertEquals(2, faces("add", "alice", tiny).code());
        Run notPhoto = faces("add", "alice", good, text);
        assertEquals(2, notPhoto.code());
        assertTrue(notPhoto.err().contains("notes.jpg: not a JPEG or PNG"), notPhoto.err());
        assertEquals(2, faces("add", "al ice", good).code());
        assertEquals(2, faces("add", "alice", dir.resolve("missing.jpg").toString()).code());
        assertEquals(2, faces("add", "alice", good, "--face", "x").code());
        assertEquals(2, faces("add", "alice").code());
        assertEquals(0, fake.requestCount());
    }

    @Test
    void aGroupPhotoNeedsFace() throws Exception {
        byte[] group = Photos.image("jpeg", 600, 400, 13);
        fake.photoShows(group, new RekognitionFake.Box(0.1, 0.2, 0.2, 0.3), new RekognitionFake.Box(0.6, 0.2, 0.2, 0.3));
        String photo = file("group.jpg", group).toString();
        Run refused = faces("add", "alice", photo);
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("shows 2 faces") && refused.err().contains("--face N"), refused.err());
        assertTrue(fake.requests("IndexFaces").isEmpty());
        assertEquals(0, faces("add", "alice", photo, "--face", "2").code());
        assertEquals(1, fake.faces("vigil-household").size());
    }

    @Test
    void unindexedPhotosAreExplainedAndExit2() throws Exception {
        byte[] dark = Photos.image("jpeg", 200, 200, 14);
        fake.photoUnusable(dark, "LOW_BRIGHTNESS");
        Run run = faces("add", "alice", file("dark.jpg", dark).toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("dark.jpg: not indexed: the face is too dark; use a brighter photo"), run.err());
    }

    @Test
    void theCommandLineExitsWithTheRightCodes() throws Exception {
        Map<String, String> env = Map.of("VIGIL_AWS_ENDPOINTS_REKOGNITION", fake.endpoint(),
                "VIGIL_DATA_DIR", dataDir.toString(), "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_REGION", "us-east-1");
        String tiny = file("tiny.png", Photos.png(10, 10)).toString();
        VigilProcess.Result bad = VigilProcess.run(dir.resolve("bad"), env, "faces", "add", "alice", tiny);
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("vigil faces: " + tiny + ": 10x10 px"), bad.err());

        fake.on("DetectFaces", r -> RekognitionFake.error("AccessDeniedException",
                "User is not authorized to perform: rekognition:DetectFaces"));
        String good = file("good.jpg", Photos.jpeg(200, 200)).toString();
        VigilProcess.Result denied = VigilProcess.run(dir.resolve("denied"), env, "faces", "add", "alice", good);
        assertEquals(1, denied.exitCode(), denied.err());
        assertTrue(denied.err().contains("Rekognition refused the request: AccessDeniedException: User is not"
                + " authorized"), denied.err());
        assertTrue(fake.requests("IndexFaces").isEmpty());
    }
}
