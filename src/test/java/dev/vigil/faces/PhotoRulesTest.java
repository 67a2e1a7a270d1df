package dev.vigil.faces;

import dev.vigil.ApiToken;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.ConfigException;
import dev.vigil.testing.Photos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Vigil checks before any AWS call: photo format, size and dimensions, person ids, the API token. */
class PhotoRulesTest {

    @Test
    void jpegAndPngAreRecognisedByTheirFirstBytes() {
        Photo jpeg = Photo.check("a.txt", Photos.jpeg(200, 120));
        assertEquals("jpeg", jpeg.format());
        assertEquals(200, jpeg.width());
        assertEquals(120, jpeg.height());
        Photo png = Photo.check("b.jpg", Photos.png(80, 80));
        assertEquals("png", png.format());
    }

    @Test
    void textNamedLikeAPhotoIsRefused() {
        Refused e = assertThrows(Refused.class,
                () -> Photo.check("me.jpg", "hello, I am not a photo".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("not a JPEG or PNG"), e.getMessage());
    }

    @Test
    void otherImageFormatsAreRefused() {
        byte[] gif = Photos.image("gif", 200, 200, 0);
        assertEquals(400, assertThrows(Refused.class, () -> Photo.check("x.gif", gif)).status());
        byte[] bmp = Photos.image("bmp", 200, 200, 0);
        assertEquals(400, assertThrows(Refused.class, () -> Photo.check("x.bmp", bmp)).status());
    }

    @Test
    void emptyAndTruncatedImagesAreRefused() {
        assertEquals(400, assertThrows(Refused.class, () -> Photo.check("empty", new byte[0])).status());
        byte[] png = Photos.png(200, 200);
        Refused e = assertThrows(Refused.class, () -> Photo.check("cut.png", Arrays.copyOf(png, 12)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
    }

    @Test
    void photosUnder80PixelsASideAreRefused() {
        Refused e = assertThrows(Refused.class, () -> Photo.check("tiny.png", Photos.png(10, 10)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("10x10"), e.getMessage());
        assertEquals(400, assertThrows(Refused.class, () -> Photo.check("thin.jpg", Photos.jpeg(300, 79))).status());
        Photo.check("edge.jpg", Photos.jpeg(80, 80));
    }

    @Test
    void photosOver5MegabytesAreRefusedWith413() {
        byte[] big = Arrays.copyOf(Photos.jpeg(200, 200), Photo.MAX_BYTES + 1);
        Refused e = assertThrows(Refused.class, () -> Photo.check("big.jpg", big));
        assertEquals(413, e.status());
        byte[] exactly = Arrays.copyOf(Photos.jpeg(200, 200), Photo.MAX_BYTES); // padded JPEG: still readable
        assertEquals(Photo.MAX_BYTES, Photo.check("max.jpg", exactly).bytes().length);
    }

    @Test
    void personIdsFollowRekognitionsExternalImageIdRules() {
        for (String ok : new String[] {"alice", "Bob_2", "a.b-c:d", "x".repeat(255)}) {
            assertEquals(ok, PersonId.check(ok));
        }
        for (String bad : new String[] {"", "al ice", "a/b", "émile", "x".repeat(256), "bob;rm", null}) {
            assertEquals(400, assertThrows(Refused.class, () -> PersonId.check(bad)).status(), String.valueOf(bad));
        }
    }

    @Test
    void unindexedReasonsReadAsPlainWords() {
        assertEquals("the face is blurred; use a sharper photo", UnindexedReasons.plain("LOW_SHARPNESS"));
        for (String reason : new String[] {"EXTREME_POSE", "LOW_BRIGHTNESS", "SMALL_BOUNDING_BOX", "LOW_CONFIDENCE",
                "LOW_FACE_QUALITY", "EXCEEDS_MAX_FACES"}) {
            assertFalse(UnindexedReasons.plain(reason).contains("_"), reason);
        }
        assertEquals("some new reason", UnindexedReasons.plain("SOME_NEW_REASON"));
    }

    @Test
    void theTokenMustMatchExactly() {
        ApiToken token = ApiToken.from("0123456789abcdef-secret", "");
        assertTrue(token.accepts("Bearer 0123456789abcdef-secret"));
        assertTrue(token.accepts("bearer 0123456789abcdef-secret"));
        assertFalse(token.accepts("Bearer 0123456789abcdef-secreT"));
        assertFalse(token.accepts("Bearer 0123456789abcdef-secret-and-more"));
        assertFalse(token.accepts("Basic 0123456789abcdef-secret"));
        assertFalse(token.accepts("0123456789abcdef-secret"));
        assertFalse(token.accepts(null));
        assertFalse(ApiToken.none().accepts("Bearer 0123456789abcdef-secret"));
    }

    @Test
    void theTokenComesFromAFileToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "from-a-file-0123456789\n");
        assertTrue(ApiToken.from("", file.toString()).accepts("Bearer from-a-file-0123456789"));
    }

    @Test
    void aMissingOrShortTokenIsAConfigErrorNamingTheKey(@TempDir Path dir) {
        ConfigException none = assertThrows(ConfigException.class, () -> ApiToken.from("", ""));
        assertTrue(none.getMessage().startsWith("vigil.api.token:"), none.getMessage());
        assertTrue(none.getMessage().contains("VIGIL_API_TOKEN"), none.getMessage());
        ConfigException shortOne = assertThrows(ConfigException.class, () -> ApiToken.from("zzqq", ""));
        assertTrue(shortOne.getMessage().contains("shorter than 16"), shortOne.getMessage());
        assertFalse(shortOne.getMessage().contains("zzqq"), "the message never shows the token");
        ConfigException unreadable = assertThrows(ConfigException.class,
                () -> ApiToken.from("", dir.resolve("missing").toString()));
        assertTrue(unreadable.getMessage().startsWith("vigil.api.token-file:"), unreadable.getMessage());
    }

    @Test
    void batchesSplitAtTheApiLimit() {
        var ids = java.util.stream.IntStream.range(0, 4097).boxed().toList();
        var batches = FaceCollection.batches(ids, FaceCollection.DELETE_BATCH);
        assertEquals(2, batches.size());
        assertEquals(4096, batches.get(0).size());
        assertArrayEquals(new Object[] {4096}, batches.get(1).toArray());
    }
}
