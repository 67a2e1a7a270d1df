package dev.vigil.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.config.Channels;
import dev.vigil.model.Alert;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * One configured webhook: which alerts it takes, and how an alert is rendered for it (Alert v1 JSON, a
 * Home Assistant webhook-trigger payload, a Slack-compatible incoming-webhook message, or an ntfy message).
 * Every request is signed when the webhook has a secret; Alert v1 always has one.
 */
public class WebhookChannel {

    private final String name;
    private final String url;
    private final Channels.Preset preset;
    private final Channels.Filter filter;
    private final WebhookSigner signer;
    private final AlertText text;
    private final ObjectMapper json;
    private final boolean privateChannel;
    private final boolean embedSnapshot;

    public WebhookChannel(String name, String url, Channels.Preset preset, Channels.Filter filter, WebhookSigner signer,
                          AlertText text, ObjectMapper json) {
        this(name, url, preset, filter, signer, text, json, false, false);
    }

    /**
     * @param privateChannel the household's own receiver: alert-v1 bodies carry the clip URL (a secret)
     * @param embedSnapshot  alert-v1 bodies carry the snapshot JPEG as {@code snapshot.base64}
     */
    public WebhookChannel(String name, String url, Channels.Preset preset, Channels.Filter filter, WebhookSigner signer,
                          AlertText text, ObjectMapper json, boolean privateChannel, boolean embedSnapshot) {
        this.privateChannel = privateChannel;
        this.embedSnapshot = embedSnapshot;
        this.name = name;
        this.url = url;
        this.preset = preset;
        this.filter = filter;
        this.signer = signer;
        this.text = text;
        this.json = json;
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public boolean accepts(Alert a) {
        return accepts(filter, a);
    }

    static boolean accepts(Channels.Filter filter, Alert a) {
        return (filter.types().isEmpty() || filter.types().contains(a.type()))
                && (filter.cameras().isEmpty() || filter.cameras().contains(a.camera().id()))
                && a.severity().compareTo(filter.minSeverity()) >= 0;
    }

    /** Replaces the body (an Alert) with the request body and sets the request headers, all of them. */
    public void render(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        Alert a = m.getMandatoryBody(Alert.class);
        m.removeHeaders("*");
        byte[] body = switch (preset) {
            case ALERT_V1 -> json.writeValueAsBytes(withMedia(a, exchange));
            case HOME_ASSISTANT -> json.writeValueAsBytes(homeAssistant(a));
            case SLACK -> json.writeValueAsBytes(json.createObjectNode().put("text", text.message(a)));
            case NTFY -> ntfy(a, m);
        };
        m.setHeader(Exchange.CONTENT_TYPE, preset == Channels.Preset.NTFY ? "text/plain; charset=utf-8" : "application/json");
        m.setHeader("X-Vigil-Alert-Id", a.id());
        if (signer != null) {
            m.setHeader(WebhookSigner.SIGNATURE_HEADER, signer.sign(body));
        }
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setBody(body);
    }

    /**
     * The alert, plus what this webhook may have of the video enrichment: the snapshot JPEG as base64
     * (embedSnapshot) and the clip (private webhooks only).
     */
    private Object withMedia(Alert a, Exchange exchange) {
        byte[] jpeg = embedSnapshot ? dev.vigil.video.VideoMedia.snapshot(exchange) : null;
        dev.vigil.video.Clip clip = privateChannel ? dev.vigil.video.VideoMedia.clip(exchange) : null;
        if (jpeg == null && clip == null) {
            return a;
        }
        ObjectNode n = json.valueToTree(a);
        if (jpeg != null && n.get("snapshot") instanceof ObjectNode snapshot) {
            snapshot.put("base64", java.util.Base64.getEncoder().encodeToString(jpeg));
        }
        if (clip != null) {
            n.set("clip", json.valueToTree(clip));
        }
        return n;
    }

    /** Flat fields for Home Assistant automations: trigger.json.type, trigger.json.person, ... */
    private ObjectNode homeAssistant(Alert a) {
        ObjectNode n = json.createObjectNode();
        n.put("event", "vigil_alert").put("alert_id", a.id()).put("type", a.type().wire())
                .put("severity", a.severity().wire()).put("camera", a.camera().id()).put("camera_name", a.camera().name())
                .put("person", a.person() == null ? null : a.person().id())
                .put("person_name", a.person() == null ? null : a.person().name())
                .put("visit_id", a.visit().id()).put("observed_at", a.observedAt().toString())
                .put("expires_at", a.expiresAt().toString()).put("stale", a.stale())
                .put("title", text.title(a)).put("message", text.message(a));
        if (a.summary() != null) {
            n.put("count", a.summary().count()).put("window_start", a.summary().windowStart().toString())
                    .put("window_end", a.summary().windowEnd().toString());
            n.set("by_type", json.valueToTree(a.summary().byType()));
            n.set("by_camera", json.valueToTree(a.summary().byCamera()));
            n.set("alert_ids", json.valueToTree(a.summary().alertIds()));
        }
        return n;
    }

    /** ntfy: the message as the body, title, priority and tags as headers (https://docs.ntfy.sh/publish/). */
    private byte[] ntfy(Alert a, Message m) {
        m.setHeader("Title", text.title(a));
        m.setHeader("Priority", switch (a.severity()) {
            case CRITICAL -> "urgent";
            case WARNING -> "high";
            default -> "default";
        });
        m.setHeader("Tags", a.type().wire() + "," + a.severity().wire().toLowerCase(Locale.ROOT));
        if (AlertText.consoleLink(a) != null) {
            m.setHeader("Click", AlertText.consoleLink(a)); // tapping the notification opens the alert page
        }
        return text.message(a).getBytes(StandardCharsets.UTF_8);
    }
}
