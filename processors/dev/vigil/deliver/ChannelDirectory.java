package dev.vigil.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.Channels;
import dev.vigil.config.ConfigException;
import dev.vigil.model.Alert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The channels an alert goes to. Built once at start from the household's {@code channels} (and, for the
 * simple case, VIGIL_WEBHOOK_URL/VIGIL_WEBHOOK_SECRET as a webhook named "webhook"), with every URL and
 * secret resolved from the environment or files; anything missing stops start-up naming the key.
 */
public class ChannelDirectory {

    public static final String CONSOLE = "direct:deliverConsole";

    public static final String SNS = "direct:deliverSns";
    public static final String EMAIL = "direct:deliverEmail";
    public static final String MQTT = "direct:deliverMqtt";

    private final boolean console;
    private final List<WebhookChannel> webhooks;
    private final SnsChannel sns;
    private final EmailChannel email;
    private final MqttChannel mqtt;

    public ChannelDirectory(boolean console, List<WebhookChannel> webhooks, SnsChannel sns, EmailChannel email) {
        this(console, webhooks, sns, email, null);
    }

    public ChannelDirectory(boolean console, List<WebhookChannel> webhooks, SnsChannel sns, EmailChannel email,
                            MqttChannel mqtt) {
        this.console = console;
        this.webhooks = List.copyOf(webhooks);
        this.sns = sns;
        this.email = email;
        this.mqtt = mqtt;
    }

    /** The MQTT channel, or null when none is configured. */
    public MqttChannel mqtt() {
        return mqtt;
    }

    /** The email channel, or null when none is configured. */
    public EmailChannel email() {
        return email;
    }

    /** The SNS channel, or null when none is configured. */
    public SnsChannel sns() {
        return sns;
    }

    public List<WebhookChannel> webhooks() {
        return webhooks;
    }

    /** The channel endpoints for this alert, comma-separated, for the deliver route's recipient list. */
    public String recipients(Alert alert) {
        List<String> to = new ArrayList<>(webhooks.size() + 1);
        if (console) {
            to.add(CONSOLE);
        }
        for (WebhookChannel w : webhooks) {
            if (w.accepts(alert)) {
                to.add(endpoint(w.name()));
            }
        }
        if (sns != null && sns.accepts(alert)) {
            to.add(SNS);
        }
        if (email != null && email.accepts(alert)) {
            to.add(EMAIL);
        }
        if (mqtt != null && mqtt.accepts(alert)) {
            to.add(MQTT);
        }
        return String.join(",", to);
    }

    /** The endpoint of a channel's gate (webhook name, sns or email): where the rate guard's summaries go. */
    public String gate(String channel) {
        return switch (channel) {
            case "sns" -> SNS;
            case "email" -> EMAIL;
            case "mqtt" -> MQTT;
            default -> endpoint(channel);
        };
    }

    public static String endpoint(String webhookName) {
        return "direct:webhook-" + webhookName;
    }

    /** Every channel's sending route (webhook name, sns or email): the gate's next hop and redeliver's entry. */
    public static String sendEndpoint(String channel) {
        return "direct:send-" + channel;
    }

    public static String sendRouteId(String channel) {
        return "send-" + channel;
    }

    /**
     * @param legacyUrl    VIGIL_WEBHOOK_URL (may be empty)
     * @param legacySecret the secret for it
     * @param env          the environment (System::getenv in production)
     */
    /**
     * The webhook given by properties rather than the household file: vigil.webhook.url (VIGIL_WEBHOOK_URL),
     * signed with vigil.webhook.secret (VIGIL_WEBHOOK_SECRET) or the file vigil.webhook.secret-file.
     */
    public record PropertyWebhook(String url, String secret, String secretFile) {
    }

    public static ChannelDirectory build(Channels channels, boolean console, PropertyWebhook property,
                                         Function<String, String> env, AlertText text, ObjectMapper json, Clock clock,
                                         ZoneId zone, int timeoutMs) {
        List<WebhookChannel> webhooks = new ArrayList<>();
        if (!property.url().isBlank()) {
            String secret = strong("vigil.webhook.secret", secret("vigil.webhook", "secret", blankToNull(property.secret()),
                    null, blankToNull(property.secretFile()), env), "VIGIL_WEBHOOK_SECRET (or VIGIL_WEBHOOK_SECRET_FILE)");
            if (secret == null) {
                throw new ConfigException("vigil.webhook.secret: a webhook URL is set (VIGIL_WEBHOOK_URL) but the secret "
                        + "is missing. Set VIGIL_WEBHOOK_SECRET (or VIGIL_WEBHOOK_SECRET_FILE) to a random string of 16+ "
                        + "characters, e.g. the output of: openssl rand -hex 32");
            }
            webhooks.add(new WebhookChannel("webhook", property.url(), Channels.Preset.ALERT_V1, Channels.Filter.ALL,
                    new WebhookSigner(secret, clock), text, json));
        }
        for (int i = 0; i < channels.webhooks().size(); i++) {
            Channels.Webhook w = channels.webhooks().get(i);
            String at = "channels.webhooks[" + i + "]";
            String url = secret(at, "url", w.url(), w.urlEnv(), w.urlFile(), env);
            String secret = strong(at + ".secret", secret(at, "secret", null, w.secretEnv(), w.secretFile(), env),
                    "it");
            webhooks.add(new WebhookChannel(w.name(), url, w.preset(), w.filter(),
                    secret == null ? null : new WebhookSigner(secret, clock), text, json, w.privateChannel(),
                    w.embedSnapshot()));
        }
        return new ChannelDirectory(console, webhooks,
                channels.sns() == null ? null : new SnsChannel(channels.sns(), text, json),
                channels.email() == null ? null : email(channels.email(), env, text, zone, timeoutMs),
                channels.mqtt() == null ? null : new MqttChannel(channels.mqtt(), json));
    }

    private static EmailChannel email(Channels.Email e, Function<String, String> env, AlertText text, ZoneId zone,
                                      int timeoutMs) {
        Channels.Smtp smtp = e.smtp();
        String user = smtp == null ? null : secret("channels.email.smtp", "username", null, smtp.usernameEnv(), null, env);
        String password = smtp == null ? null
                : secret("channels.email.smtp", "password", null, smtp.passwordEnv(), smtp.passwordFile(), env);
        return new EmailChannel(e, text, zone, user, password, timeoutMs);
    }

    /** A signing secret must be 16+ characters; null (no secret) passes. */
    private static String strong(String key, String secret, String where) {
        if (secret != null && secret.length() < 16) {
            throw new ConfigException(key + ": the secret is shorter than 16 characters. Set " + where
                    + " to a random string of 16+ characters, e.g. the output of: openssl rand -hex 32");
        }
        return secret;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * A channel setting that may be a secret: {@code inline}, else the environment variable {@code envName}, else
     * the content of {@code file}; null when none is given. Missing ones stop start-up naming {@code at.whatEnv}.
     */
    public static String secret(String at, String what, String inline, String envName, String file,
                                Function<String, String> env) {
        if (inline != null) {
            return inline;
        }
        if (envName != null) {
            String value = env.apply(envName);
            if (value == null || value.isBlank()) {
                throw new ConfigException(at + "." + what + "Env: the environment variable " + envName
                        + " is not set. Set it, or name a file with " + what + "File.");
            }
            return value.strip();
        }
        if (file != null) {
            try {
                return Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new ConfigException(at + "." + what + "File: cannot read " + file + " (" + e.getMessage() + ").");
            }
        }
        return null;
    }

}
