package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.KvsFake;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The email channel with video enrichment: the snapshot inline (cid:), the clip link only when private. */
class SnapshotEmailTest {

    static KvsFake kvs;
    @TempDir
    Path dir;
    GreenMail smtp;

    @BeforeAll
    static void fake() {
        kvs = KvsFake.shared();
    }


    @BeforeEach
    void smtpServer() {
        kvs.reset();
        smtp = new GreenMail(new ServerSetup(Moto.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private MimeMessage mailFor(boolean privateEmail, boolean withFrame) throws Exception {
        Instant at = VideoEnrichmentTest.frameTime();
        kvs.stream(VideoEnrichmentTest.STREAM);
        if (withFrame) {
            kvs.frame(VideoEnrichmentTest.STREAM, at, VideoEnrichmentTest.frame());
        }
        Path household = Fixtures.exampleHouseholdWith(dir,
                Fixtures.emailToMe(smtp.getSmtp().getPort(), "private: " + privateEmail));
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.config", household.toString(),
                "vigil.snapshot.enabled", "true", "vigil.clip.enabled", "true",
                "vigil.aws.endpoints.kinesisvideo", kvs.url(), "vigil.http.port", Integer.toString(Moto.freePort()),
                "vigil.snapshot.draw-face-box", "false", "vigil.snapshot.budget", "10s", "vigil.snapshot.width", "0", "vigil.snapshot.height", "0"))) {
            vigil.deliver(VideoEnrichmentTest.alert(at));
        }
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(1, mails.length);
        return mails[0];
    }

    @Test
    void theSnapshotIsInlineAsARelatedImageReferencedByCid() throws Exception {
        MimeMessage mail = mailFor(false, true);
        assertTrue(mail.getContentType().startsWith("multipart/related"), mail.getContentType());
        Multipart related = (Multipart) mail.getContent();
        assertEquals(2, related.getCount());
        Multipart alternative = (Multipart) related.getBodyPart(0).getContent();
        assertTrue(alternative.getContentType().startsWith("multipart/alternative"), alternative.getContentType());
        String plain = (String) alternative.getBodyPart(0).getContent();
        String html = (String) alternative.getBodyPart(1).getContent();
        assertTrue(html.contains("<img src=\"cid:snapshot@vigil\""), html);

        BodyPart image = related.getBodyPart(1);
        assertTrue(image.getContentType().startsWith("image/jpeg"), image.getContentType());
        assertEquals("<snapshot@vigil>", ((MimeBodyPart) image).getContentID());
        assertEquals(Part.INLINE, image.getDisposition());
        byte[] jpeg = image.getInputStream().readAllBytes();
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertEquals(640, decoded.getWidth());
        assertArrayEquals(VideoEnrichmentTest.frame(), jpeg, "the frame as KVS returned it (original size, no box drawn)");

        assertFalse(html.contains("SessionToken") || plain.contains("SessionToken"), "not private: no clip link");
        assertEquals("me@example.org", mail.getAllRecipients()[0].toString());
        assertTrue(mail.getHeader("X-Vigil-Alert-Id")[0].matches("[0-9a-f-]{36}"));
    }

    @Test
    void aPrivateEmailLinksTheClip() throws Exception {
        MimeMessage mail = mailFor(true, true);
        Multipart alternative = (Multipart) ((Multipart) mail.getContent()).getBodyPart(0).getContent();
        String token = kvs.sessionTokens().get(0);
        assertTrue(((String) alternative.getBodyPart(0).getContent()).contains("SessionToken=" + token));
        assertTrue(((String) alternative.getBodyPart(1).getContent()).contains("SessionToken=" + token));
    }

    @Test
    void withoutASnapshotTheMailSaysSo() throws Exception {
        MimeMessage mail = mailFor(false, false);
        assertTrue(mail.getContentType().startsWith("multipart/alternative"), mail.getContentType());
        String plain = (String) ((Multipart) mail.getContent()).getBodyPart(0).getContent();
        assertTrue(plain.contains("Snapshot: none (no media)"), plain);
    }
}
