package dev.vigil.deliver;

import dev.vigil.config.Channels;
import dev.vigil.model.Alert;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The email channel's rendering: recipients chosen by severity, the phone-friendly title as subject, an
 * HTML body with a plain-text alternative (camel-mail's alternative body). The snapshot goes inline once
 * the video steps provide one.
 */
public class EmailChannel {

    /** camel-mail: a header with this name becomes the text/plain alternative of the HTML body. */
    static final String ALTERNATIVE = "CamelMailAlternativeBody";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm:ss");

    private final Channels.Email config;
    private final AlertText text;
    private final ZoneId zone;
    private final String endpointUri;

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
        jakarta.mail.internet.MimeMessage mail = new jakarta.mail.internet.MimeMessage(
                jakarta.mail.Session.getInstance(new java.util.Properties()));
        mail.setFrom(config.from());
        mail.setRecipients(jakarta.mail.Message.RecipientType.TO, String.join(",", recipients(a)));
        mail.setSubject(text.title(a), "UTF-8");
        mail.setHeader("X-Vigil-Alert-Id", a.id());
        jakarta.mail.internet.MimeMultipart alternative = new jakarta.mail.internet.MimeMultipart("alternative");
        jakarta.mail.internet.MimeBodyPart plain = new jakarta.mail.internet.MimeBodyPart();
        plain.setText(plain(a), "UTF-8");
        jakarta.mail.internet.MimeBodyPart html = new jakarta.mail.internet.MimeBodyPart();
        html.setContent(html(a), "text/html; charset=UTF-8");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(html);
        mail.setContent(alternative);
        mail.saveChanges();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        mail.writeTo(out);
        return out.toByteArray();
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
        m.setHeader(ALTERNATIVE, plain(a));
        m.setBody(html(a));
    }

    String plain(Alert a) {
        return text.message(a) + "\n\n" + facts(a).stream().map(f -> f[0] + ": " + f[1]).collect(Collectors.joining("\n"))
                + "\n";
    }

    String html(Alert a) {
        String rows = facts(a).stream().map(f -> "<tr><th align=\"left\">" + esc(f[0]) + "</th><td>" + esc(f[1])
                + "</td></tr>").collect(Collectors.joining());
        return "<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><h2>" + esc(text.title(a)) + "</h2><p>"
                + esc(a.reason()) + (a.stale() ? " <b>(late)</b>" : "") + "</p><table cellpadding=\"4\">" + rows
                + "</table></body></html>";
    }

    private List<String[]> facts(Alert a) {
        return List.of(new String[] {"Camera", a.camera().name() + (a.camera().location() == null ? "" : ", " + a.camera().location())},
                new String[] {"When", WHEN.format(a.observedAt().atZone(zone))},
                new String[] {"Who", a.person() == null ? "not recognised" : a.person().name()
                        + String.format(" (%.1f%%)", a.person().similarity())},
                new String[] {"Severity", a.severity().wire()},
                new String[] {"Visit", a.visit().id() + ", " + a.visit().frames() + " frames"},
                new String[] {"Alert", a.id()});
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
