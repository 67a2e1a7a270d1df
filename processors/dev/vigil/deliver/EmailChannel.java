package dev.vigil.deliver;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import dev.vigil.config.Channels;
import dev.vigil.config.ConfigException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.vigil.model.Alert;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The email channel's rendering: recipients chosen by severity, the phone-friendly title as subject, an
 * HTML body with a plain-text alternative (camel-mail's alternative body), both from Mustache templates users
 * can edit (config/email/alert.html.mustache and alert.txt.mustache, read once at start-up). When video enrichment attached
 * a snapshot, the mail is multipart/related with the JPEG inline ({@code cid:} in the HTML); a private
 * email (channels.email.private) also links the clip.
 */
public class EmailChannel {

    /** The Content-ID of the inline snapshot, referred to as {@code cid:snapshot@vigil} in the HTML. */
    static final String SNAPSHOT_CID = "snapshot@vigil";
    /** camel-mail: a header with this name becomes the text/plain alternative of the HTML body. */
    static final String ALTERNATIVE = "CamelMailAlternativeBody";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm:ss");


    private final Channels.Email config;
    private final AlertText text;
    private final ZoneId zone;
    private final String endpointUri;
    private final Mustache htmlTemplate = template("alert.html.mustache");
    private final Mustache textTemplate = template("alert.txt.mustache");

    /** @param username and password resolved from the environment or a file; null without authentication */
    public EmailChannel(Channels.Email config, AlertText text, ZoneId zone, String username, String password,
                        int timeoutMs) {
        this.config = config;
        this.text = text;
        this.zone = zone;
        Channels.Smtp smtp = config.smtp() == null ? new Channels.Smtp("unused", 25, Channels.Smtp.Security.NONE,
                null, null, null) : config.smtp();
        StringBuilder uri = new StringBuilder(smtp.security() == Channels.Smtp.Security.TLS ? "smtps" : "smtp")
                .append("://").append(smtp.host()).append(':').append(smtp.port())
                .append("?connectionTimeout=").append(timeoutMs)
                .append("&additionalJavaMailProperties=#emailProperties");
        if (username != null) {
            uri.append("&username=RAW(").append(username).append(")&password=RAW(").append(password).append(')');
        }
        this.endpointUri = uri.toString();
    }

    /** The camel-mail endpoint, with credentials (Camel masks the password in logs). */
    public String endpointUri() {
        return endpointUri;
    }

    /** JavaMail settings: STARTTLS required unless security is tls or none; timeouts on every socket step. */
    public java.util.Properties javaMailProperties(int timeoutMs) {
        java.util.Properties p = new java.util.Properties();
        boolean starttls = config.smtp() != null && config.smtp().security() == Channels.Smtp.Security.STARTTLS;
        p.setProperty("mail.smtp.starttls.enable", Boolean.toString(starttls));
        p.setProperty("mail.smtp.starttls.required", Boolean.toString(starttls));
        p.setProperty("mail.smtp.timeout", Integer.toString(timeoutMs));
        p.setProperty("mail.smtp.writetimeout", Integer.toString(timeoutMs));
        return p;
    }

    public boolean viaSes() {
        return config.transport() == Channels.Email.Transport.SES;
    }

    /**
     * The same mail as raw MIME bytes, for Amazon SES SendRawEmail: multipart/alternative with the text and
     * the HTML, From, To, Subject and X-Vigil-Alert-Id.
     */
    public byte[] mime(Alert a) throws Exception {
        return mime(a, null, null);
    }

    /** The raw MIME bytes with the snapshot inline and the clip linked, when given. */
    public byte[] mime(Alert a, byte[] snapshot, dev.vigil.video.Clip clip) throws Exception {
        jakarta.mail.internet.MimeMessage mail = message(a, snapshot, clip);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        mail.writeTo(out);
        return out.toByteArray();
    }

    /**
     * multipart/alternative (text, HTML); with a snapshot, multipart/related of that and the image/jpeg part
     * (inline, Content-ID {@value #SNAPSHOT_CID}).
     */
    jakarta.mail.internet.MimeMessage message(Alert a, byte[] snapshot, dev.vigil.video.Clip clip) throws Exception {
        jakarta.mail.internet.MimeMessage mail = new jakarta.mail.internet.MimeMessage(
                jakarta.mail.Session.getInstance(new java.util.Properties()));
        mail.setFrom(config.from());
        mail.setRecipients(jakarta.mail.Message.RecipientType.TO, String.join(",", recipients(a)));
        mail.setSubject(text.title(a), "UTF-8");
        mail.setHeader("X-Vigil-Alert-Id", a.id());
        jakarta.mail.internet.MimeMultipart alternative = new jakarta.mail.internet.MimeMultipart("alternative");
        jakarta.mail.internet.MimeBodyPart plain = new jakarta.mail.internet.MimeBodyPart();
        plain.setText(plain(a, clip), "UTF-8");
        jakarta.mail.internet.MimeBodyPart html = new jakarta.mail.internet.MimeBodyPart();
        html.setContent(html(a, snapshot != null, clip), "text/html; charset=UTF-8");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(html);
        if (snapshot == null) {
            mail.setContent(alternative);
        } else {
            jakarta.mail.internet.MimeBodyPart body = new jakarta.mail.internet.MimeBodyPart();
            body.setContent(alternative);
            jakarta.mail.internet.MimeBodyPart image = new jakarta.mail.internet.MimeBodyPart();
            image.setDataHandler(new jakarta.activation.DataHandler(
                    new jakarta.mail.util.ByteArrayDataSource(snapshot, "image/jpeg")));
            image.setContentID("<" + SNAPSHOT_CID + ">");
            image.setDisposition(jakarta.mail.Part.INLINE);
            image.setFileName("snapshot.jpg");
            jakarta.mail.internet.MimeMultipart related = new jakarta.mail.internet.MimeMultipart("related");
            related.addBodyPart(body);
            related.addBodyPart(image);
            mail.setContent(related);
        }
        mail.saveChanges();
        return mail;
    }

    /** The snapshot JPEG, and the clip when this email is private, that the enrichment step left on the exchange. */
    byte[] snapshot(Exchange exchange) {
        return dev.vigil.video.VideoMedia.snapshot(exchange);
    }

    dev.vigil.video.Clip clip(Exchange exchange) {
        return config.privateChannel() ? dev.vigil.video.VideoMedia.clip(exchange) : null;
    }

    public boolean accepts(Alert a) {
        return WebhookChannel.accepts(config.filter(), a) && !recipients(a).isEmpty();
    }

    List<String> recipients(Alert a) {
        return config.to().stream().filter(r -> a.severity().compareTo(r.minSeverity()) >= 0)
                .map(Channels.Recipient::address).toList();
    }

    public void render(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        Alert a = m.getMandatoryBody(Alert.class);
        m.removeHeaders("*");
        m.setHeader("From", config.from());
        m.setHeader("To", String.join(",", recipients(a)));
        m.setHeader("Subject", text.title(a));
        m.setHeader("X-Vigil-Alert-Id", a.id());
        byte[] snapshot = snapshot(exchange);
        dev.vigil.video.Clip clip = clip(exchange);
        if (snapshot != null || clip != null) {
            // camel-mail sends a MimeMessage body as it is: the one with the inline image
            m.setBody(message(a, snapshot, clip));
            return;
        }
        m.setHeader(ALTERNATIVE, plain(a));
        m.setBody(html(a));
    }

    String plain(Alert a) {
        return plain(a, null);
    }

    String plain(Alert a, dev.vigil.video.Clip clip) {
        return render(textTemplate, a, false, clip);
    }

    String html(Alert a) {
        return html(a, false, null);
    }

    String html(Alert a, boolean inlineSnapshot, dev.vigil.video.Clip clip) {
        return render(htmlTemplate, a, inlineSnapshot, clip);
    }

    /** The fields the templates (config/email/alert.*.mustache) may use. */
    private String render(Mustache template, Alert a, boolean inlineSnapshot, dev.vigil.video.Clip clip) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("title", text.title(a));
        scope.put("message", text.message(a));
        scope.put("reason", a.reason());
        scope.put("late", a.stale());
        scope.put("snapshot", inlineSnapshot);
        scope.put("clipUrl", clip == null ? null : clip.url());
        scope.put("consoleUrl", AlertText.consoleLink(a));
        scope.put("facts", facts(a).stream().map(f -> Map.of("name", f[0], "value", f[1])).toList());
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString().strip() + "\n";
    }

    /** Escapes &amp;, &lt;, &gt; and quotes only (mustache.java's default also turns = into &amp;#61;, spoiling URLs). */
    private static final DefaultMustacheFactory ESCAPE_HTML = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, java.io.Writer writer) {
            try {
                writer.write(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    };

    /** A template of config/email/: the working directory's copy (edited in place), else the jar's. */
    private static Mustache template(String name) {
        Path local = Path.of("config/email", name);
        try (Reader in = Files.isReadable(local) ? Files.newBufferedReader(local, StandardCharsets.UTF_8)
                : new InputStreamReader(EmailChannel.class.getClassLoader().getResourceAsStream("config/email/" + name),
                        StandardCharsets.UTF_8)) {
            return ESCAPE_HTML.compile(in, name);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("config/email/" + name + ": not a usable Mustache template (" + e.getMessage()
                    + "); fix it, or delete it to use the one in the jar");
        }
    }

    private List<String[]> facts(Alert a) {
        List<String[]> facts = new java.util.ArrayList<>(List.of(
                new String[] {"Camera", a.camera().name() + (a.camera().location() == null ? "" : ", " + a.camera().location())},
                new String[] {"When", WHEN.format(a.observedAt().atZone(zone))},
                new String[] {"Who", a.person() == null ? "not recognised" : a.person().name()
                        + String.format(" (%.1f%%)", a.person().similarity())},
                new String[] {"Severity", a.severity().wire()},
                new String[] {"Visit", a.visit().id() + ", " + a.visit().frames() + " frames"},
                new String[] {"Alert", a.id()}));
        if (a.snapshot() != null && !a.snapshot().isAttached()) {
            facts.add(new String[] {"Snapshot", "none (" + a.snapshot().reason() + ")"});
        }
        return facts;
    }
}
