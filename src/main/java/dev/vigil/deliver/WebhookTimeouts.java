package dev.vigil.deliver;

import dev.vigil.config.Channels;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Each webhook's connect and response timeouts in milliseconds: its own {@code timeout} from the household
 * file, else vigil.webhook.connect-timeout-ms / response-timeout-ms. They become the options of that
 * webhook's HTTP endpoint (camel-http takes connectTimeout, connectionRequestTimeout, responseTimeout and
 * soTimeout per endpoint, ahead of the component's), so one slow receiver's patience is not everyone's.
 */
public class WebhookTimeouts {

    public record Millis(long connect, long response) {
    }

    private final Map<String, Millis> byName = new HashMap<>();
    private final Millis defaults;

    public WebhookTimeouts(Channels channels, long connectMs, long responseMs) {
        this.defaults = new Millis(connectMs, responseMs);
        for (Channels.Webhook w : channels.webhooks()) {
            Channels.Timeout t = w.timeout();
            if (t != null) {
                byName.put(w.name(), new Millis(ms(t.connect(), connectMs), ms(t.response(), responseMs)));
            }
        }
    }

    public Millis of(String webhook) {
        return byName.getOrDefault(webhook, defaults);
    }

    private static long ms(Duration d, long fallback) {
        return d == null ? fallback : d.toMillis();
    }
}
