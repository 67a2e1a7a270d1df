package dev.vigil.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import java.time.Duration;
import java.util.List;

/**
 * The household's delivery channels. Secrets (and URLs that are secrets, like Slack's) are never written in
 * the file: they are named by environment variable ({@code ...Env}) or file ({@code ...File}).
 */
public record Channels(List<Webhook> webhooks, Sns sns, Email email, Mqtt mqtt) {

    public static final Channels NONE = new Channels(null, null, null);

    public Channels(List<Webhook> webhooks, Sns sns, Email email) {
        this(webhooks, sns, email, null);
    }

    public Channels {
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }

    /** How an alert is rendered for a receiver. */
    public enum Preset {
        @JsonProperty("alert-v1") ALERT_V1,
        @JsonProperty("home-assistant") HOME_ASSISTANT,
        @JsonProperty("slack") SLACK,
        @JsonProperty("ntfy") NTFY;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One webhook.
     *
     * @param name      [a-z0-9-], used in logs, metrics and dead-letter kinds ({@code alert-<name>})
     * @param url       the URL, or {@code urlEnv}/{@code urlFile} when the URL itself is a secret
     * @param secretEnv the signing secret's environment variable, or {@code secretFile}; required for alert-v1
     * @param preset    alert-v1 (default), home-assistant, slack or ntfy
     * @param filter    which alerts go here (default: all)
     * @param privateChannel {@code private: true}: the receiver is the household's own, so alerts carry the
     *                  clip URL (an AWS session token) when clips are on (default false)
     * @param embedSnapshot {@code embedSnapshot: true}: alert-v1 bodies carry the snapshot JPEG as
     *                  {@code snapshot.base64} besides its URL (default false)
     * @param timeout   this webhook's own connect/response timeouts (default: vigil.webhook.*-timeout-ms)
     * @param rateLimit this webhook's ceiling (default: vigil.rate-guard.*)
     */
    public record Webhook(String name, String url, String urlEnv, String urlFile, String secretEnv, String secretFile,
                          Preset preset, Filter filter, @JsonProperty("private") Boolean privateChannel,
                          Boolean embedSnapshot, Timeout timeout, RateLimit rateLimit) {
        public Webhook {
            privateChannel = Boolean.TRUE.equals(privateChannel);
            embedSnapshot = Boolean.TRUE.equals(embedSnapshot);
            preset = preset == null ? Preset.ALERT_V1 : preset;
            filter = filter == null ? Filter.ALL : filter;
        }
    }

    /**
     * An Amazon SNS topic (standard, not FIFO). Published with MessageStructure=json: email and SMS
     * subscribers get readable text, http/https/sqs/lambda subscribers get Alert v1 JSON; message
     * attributes type, severity, camera and person allow subscription filter policies.
     */
    public record Sns(String topicArn, Filter filter, List<Subscription> subscriptions, RateLimit rateLimit) {
        public Sns {
            filter = filter == null ? Filter.ALL : filter;
            subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
        }

        public Sns(String topicArn, Filter filter) {
            this(topicArn, filter, null, null);
        }
    }

    /**
     * A subscription {@code vigil provision apply} makes to the SNS topic (email subscribers confirm by mail).
     *
     * @param protocol email, email-json, sms or https
     * @param endpoint the address, phone number (E.164, e.g. +447700900123) or URL
     */
    public record Subscription(String protocol, String endpoint) {
    }

    /**
     * Email over SMTP: an HTML body with a plain-text alternative and a subject that reads well on a phone;
     * each recipient gets the alerts of at least their {@code minSeverity}. The snapshot, when there is one,
     * is inline; with {@code private: true} the mail also links the clip (its URL holds an AWS session token).
     */
    public record Email(Transport transport, String from, List<Recipient> to, Smtp smtp, Filter filter,
                        @JsonProperty("private") Boolean privateChannel, RateLimit rateLimit) {
        /** smtp (default): the smtp block says where; ses: Amazon SES SendRawEmail, from a verified identity. */
        public enum Transport { SMTP, SES }

        public Email {
            transport = transport == null ? Transport.SMTP : transport;
            privateChannel = Boolean.TRUE.equals(privateChannel);
            to = to == null ? List.of() : List.copyOf(to);
            filter = filter == null ? Filter.ALL : filter;
        }
    }

    public record Recipient(String address, Severity minSeverity) {
        public Recipient {
            minSeverity = minSeverity == null ? Severity.INFO : minSeverity;
        }
    }

    /** @param security starttls (default), tls (implicit, e.g. port 465) or none */
    public record Smtp(String host, Integer port, Security security, String usernameEnv, String passwordEnv,
                       String passwordFile) {
        public enum Security { STARTTLS, TLS, NONE }

        public Smtp {
            security = security == null ? Security.STARTTLS : security;
            port = port == null ? (security == Security.TLS ? 465 : 587) : port;
        }
    }

    /**
     * An MQTT broker (docs/home-assistant.md): alerts at QoS 1, never retained, to
     * {@code <prefix>/alerts/<type>/<camera>} (Alert v1 JSON); availability, the arming mode and Home Assistant
     * discovery besides.
     *
     * @param url          tcp://host:1883, or ssl://host:8883 for TLS (or urlEnv)
     * @param usernameEnv  the user name's environment variable (or username, which is not a secret)
     * @param passwordEnv  the password's environment variable, or passwordFile
     * @param caFile       a PEM file of the CA that signed the broker's certificate (ssl:// only; default: the
     *                     JVM's trusted CAs)
     * @param prefix       the topic prefix (default vigil)
     * @param clientId     the MQTT client id (default vigil-<prefix>)
     * @param homeAssistant Home Assistant discovery: on unless {@code discovery: false}
     */
    public record Mqtt(String url, String urlEnv, String username, String usernameEnv, String passwordEnv,
                       String passwordFile, String caFile, String prefix, String clientId,
                       HomeAssistant homeAssistant, Filter filter, RateLimit rateLimit) {
        public Mqtt {
            prefix = prefix == null ? "vigil" : prefix;
            clientId = clientId == null ? "vigil-" + prefix.replace('/', '-') : clientId;
            homeAssistant = homeAssistant == null ? HomeAssistant.DEFAULT : homeAssistant;
            filter = filter == null ? Filter.ALL : filter;
        }
    }

    /** @param prefix Home Assistant's discovery prefix (default homeassistant) */
    public record HomeAssistant(Boolean discovery, String prefix) {
        public static final HomeAssistant DEFAULT = new HomeAssistant(null, null);

        public HomeAssistant {
            discovery = !Boolean.FALSE.equals(discovery);
            prefix = prefix == null ? "homeassistant" : prefix;
        }
    }

    /** Empty lists mean "any". */
    public record Filter(List<AlertType> types, List<String> cameras, Severity minSeverity) {
        public static final Filter ALL = new Filter(null, null, null);

        public Filter {
            types = types == null ? List.of() : List.copyOf(types);
            cameras = cameras == null ? List.of() : List.copyOf(cameras);
            minSeverity = minSeverity == null ? Severity.INFO : minSeverity;
        }
    }

    /** A webhook's own timeouts (30s, 500ms, ...); a missing one falls back to vigil.webhook.*-timeout-ms. */
    public record Timeout(Duration connect, Duration response) {
    }

    /**
     * A channel's rate guard: at most {@code max} alerts per {@code per}; the excess is held and sent as one
     * summary alert when the window ends. A missing value falls back to vigil.rate-guard.*; max 0 turns it off.
     */
    public record RateLimit(Integer max, Duration per) {
    }
}
