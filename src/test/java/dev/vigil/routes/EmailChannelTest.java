package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ses.SesClient;

/** routes/44-deliver-email.camel.yaml against a real SMTP server (GreenMail) on 127.0.0.1. */
class EmailChannelTest {

    @TempDir
    Path dir;
    private GreenMail smtp;

    @BeforeEach
    void smtpServer() {
        smtp = new GreenMail(new ServerSetup(Moto.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.setUser("vigil@example.org", "vigil-user", "s3cret-password");
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private RunningVigil vigil(String channels) throws Exception {
        Path household = Fixtures.exampleHouseholdWith(dir, channels);
        return new RunningVigil(dir.resolve("data"), Map.of("vigil.config", household.toString(),
                "vigil.delivery.replay-window", "1s", "vigil.delivery.retry-initial", "10ms"));
    }

    @Test
    void eachRecipientGetsTheAlertsOfTheirSeverityAsHtmlWithATextAlternative() throws Exception {
        Path password = Fixtures.write(dir.resolve("smtp-password"), "s3cret-password\n");
        try (RunningVigil vigil = vigil("""
                channels:
                  email:
                    from: vigil@example.org
                    to:
                      - address: me@example.org
                      - address: neighbour@example.org
                        minSeverity: warning
                    smtp:
                      host: 127.0.0.1
                      port: %d
                      security: none
                      usernameEnv: VIGIL_TEST_SMTP_USER
                      passwordFile: %s
                """.formatted(smtp.getSmtp().getPort(), password))) {
            vigil.sampleDay();
        }
        MimeMessage[] mails = smtp.getReceivedMessages(); // one copy per recipient mailbox
        long toMe = Arrays.stream(mails).filter(m -> to(m).contains("me@example.org")).map(EmailChannelTest::id).distinct().count();
        long toNeighbour = Arrays.stream(mails).filter(m -> to(m).contains("neighbour@example.org"))
                .map(EmailChannelTest::id).distinct().count();
        assertEquals(9, mails.length, "6 mails to me, 3 of them also to the neighbour");
        assertEquals(6, toMe, "every alert of the day");
        assertEquals(3, toNeighbour, "warnings: the three unknown faces");

        MimeMessage first = Arrays.stream(mails).filter(m -> subject(m).startsWith("Unknown person")).findFirst().orElseThrow();
        assertEquals("Unknown person at Driveway, 11:32", first.getSubject());
        assertEquals("vigil@example.org", first.getFrom()[0].toString());
        assertTrue(first.getContentType().startsWith("multipart/alternative"), first.getContentType());
        Multipart parts = (Multipart) first.getContent();
        assertTrue(parts.getBodyPart(0).getContentType().startsWith("text/plain"), parts.getBodyPart(0).getContentType());
        assertTrue(parts.getBodyPart(1).getContentType().startsWith("text/html"), parts.getBodyPart(1).getContentType());
        assertTrue(((String) parts.getBodyPart(0).getContent()).startsWith("Unknown person at Driveway, 11:32."));
        assertTrue(((String) parts.getBodyPart(1).getContent()).contains("<h2>Unknown person at Driveway, 11:32</h2>"));
        assertTrue(first.getHeader("X-Vigil-Alert-Id")[0].matches("[0-9a-f-]{36}"));
        assertEquals(null, first.getHeader("VigilSourceRef"), "no internal header becomes a mail header");
    }

    @Test
    void theSesTransportSendsTheSameMimeMessageAsRawEmail() throws Exception {
        Moto moto = Moto.fresh();
        try (SesClient ses = SesClient.builder().endpointOverride(java.net.URI.create(moto.endpoint()))
                .region(software.amazon.awssdk.regions.Region.of(Moto.REGION)).build()) {
            ses.verifyEmailIdentity(b -> b.emailAddress("vigil@example.org"));
        }
        Path household = Fixtures.exampleHouseholdWith(dir, Fixtures.SES_EMAIL_CHANNEL + "        minSeverity: warning\n");
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.config", household.toString(),
                "vigil.aws.endpoint", moto.endpoint(), "vigil.aws.region", Moto.REGION))) {
            vigil.sampleDay();
        }
        JsonNode sent = new ObjectMapper().readTree(java.net.URI.create(moto.endpoint() + "/moto-api/data.json").toURL())
                .path("ses");
        JsonNode raw = sent.path("RawMessage");
        assertEquals(3, raw.size(), "warnings for me: the three unknown faces");
        MimeMessage first = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(raw.get(0).get("raw_data").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("Unknown person at Driveway, 11:32", first.getSubject());
        assertEquals("[me@example.org]", to(first));
        assertTrue(first.getContentType().startsWith("multipart/alternative"), first.getContentType());
        Multipart parts = (Multipart) first.getContent();
        assertTrue(parts.getBodyPart(0).getContentType().startsWith("text/plain"));
        assertTrue(parts.getBodyPart(1).getContentType().startsWith("text/html"));
    }

    @Test
    void alertsOverTheCeilingArriveAsOneSummaryMail() throws Exception {
        List<dev.vigil.model.Alert> alerts = List.of(dev.vigil.testing.Alerts.unknownFace(),
                dev.vigil.testing.Alerts.unknownFace(), dev.vigil.testing.Alerts.unknownFace());
        try (RunningVigil vigil = vigil(Fixtures.emailToMe(smtp.getSmtp().getPort(), "rateLimit: {max: 1, per: 1h}"))) {
            alerts.forEach(vigil::deliver);
            assertEquals(1, smtp.getReceivedMessages().length, "one within the ceiling, two held");
        }
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(2, mails.length, "and one summary when the window ended (here: when Vigil stopped)");
        MimeMessage summary = mails[1];
        assertTrue(summary.getSubject().matches("2 more alerts at side-gate-cam, \\d\\d:\\d\\d-\\d\\d:\\d\\d"),
                summary.getSubject());
        String text = (String) ((Multipart) summary.getContent()).getBodyPart(0).getContent();
        assertTrue(text.contains("unknown_face 2") && text.contains(alerts.get(1).id()) && text.contains(alerts.get(2).id()),
                text);
    }

    @Test
    void aServerThatIsDownDeadLettersTheMail() throws Exception {
        int port = smtp.getSmtp().getPort();
        smtp.stop();
        try (RunningVigil vigil = vigil(Fixtures.emailToMe(port, ""))) {
            List<String> pair = Fixtures.lines(Fixtures.SCENARIO).subList(0, 2);
            vigil.record(pair.get(0), "sample#0");
            vigil.record(pair.get(1), "sample#1");
        }
        assertEquals(1, Fixtures.files(dir.resolve("data/dead-letters/alert-email")).size());
    }

    private static String to(MimeMessage m) {
        try {
            return Arrays.toString(m.getRecipients(Message.RecipientType.TO));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String id(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
