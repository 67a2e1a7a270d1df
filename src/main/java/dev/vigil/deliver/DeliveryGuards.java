package dev.vigil.deliver;

import dev.vigil.config.ConfigException;
import dev.vigil.config.DurationText;
import dev.vigil.config.Household;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * Binds what guards the channels (needs the {@code channels} bean): retry until expiry (deliveries,
 * vigil.delivery.*), per-channel circuit breakers (channelBreakers) with their readiness check
 * (channelsHealthCheck, id "channels") and gauges, the rate
 * guard (rateGuard) and each webhook's timeouts (webhookTimeouts). Settings: vigil.breaker.*,
 * vigil.rate-guard.*, vigil.webhook.*-timeout-ms; per channel from the household file.
 */
public final class DeliveryGuards {

    private DeliveryGuards() {
    }

    public static void bind(Registry registry, PropertiesComponent props, Household household, MeterRegistry metrics,
                            Clock clock) {
        ChannelDirectory channels = registry.lookupByNameAndType("channels", ChannelDirectory.class);
        List<String> names = new ArrayList<>();
        channels.webhooks().forEach(w -> names.add(w.name()));
        if (channels.sns() != null) {
            names.add("sns");
        }
        if (channels.email() != null) {
            names.add("email");
        }
        ChannelBreakers breakers = new ChannelBreakers(names, number(props, "vigil.breaker.failures", 1),
                duration(props, "vigil.breaker.open-for"), clock, metrics);
        registry.bind("channelBreakers", breakers);
        Deliveries deliveries = new Deliveries(names, new Deliveries.Schedule(duration(props, "vigil.delivery.retry-initial"),
                duration(props, "vigil.delivery.retry-max"), duration(props, "vigil.delivery.replay-window"),
                duration(props, "vigil.delivery.critical-ttl")), breakers,
                Path.of(props.resolveProperty("vigil.data.dir").orElse("./data")), clock, metrics);
        registry.bind("deliveries", deliveries);
        registry.bind("channelsHealthCheck", new ChannelsHealthCheck(breakers, deliveries,
                duration(props, "vigil.breaker.unhealthy-after")));

        RateGuard.Limit fallback = new RateGuard.Limit(number(props, "vigil.rate-guard.max", 0),
                duration(props, "vigil.rate-guard.per"));
        var c = household.channels();
        Map<String, RateGuard.Limit> limits = new HashMap<>();
        channels.webhooks().forEach(w -> limits.put(w.name(), fallback));
        c.webhooks().forEach(w -> limits.put(w.name(), limit(w.rateLimit(), fallback)));
        if (c.sns() != null) {
            limits.put("sns", limit(c.sns().rateLimit(), fallback));
        }
        if (c.email() != null) {
            limits.put("email", limit(c.email().rateLimit(), fallback));
        }
        registry.bind("rateGuard", new RateGuard(limits,
                dev.vigil.config.Settings.flag(props, "vigil.rate-guard.exempt-critical", true), clock));

        registry.bind("webhookTimeouts", new WebhookTimeouts(c, number(props, "vigil.webhook.connect-timeout-ms", 1),
                number(props, "vigil.webhook.response-timeout-ms", 1)));
    }

    private static RateGuard.Limit limit(dev.vigil.config.Channels.RateLimit r, RateGuard.Limit fallback) {
        return r == null ? fallback : new RateGuard.Limit(r.max() == null ? fallback.max() : r.max(),
                r.per() == null ? fallback.per() : r.per());
    }

    private static int number(PropertiesComponent props, String key, int min) {
        String text = props.resolveProperty(key).orElseThrow(() -> new ConfigException(key + " is not set"));
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + ": \"" + text + "\" is not a whole number of at least " + min);
    }

    private static Duration duration(PropertiesComponent props, String key) {
        String text = props.resolveProperty(key).orElseThrow(() -> new ConfigException(key + " is not set"));
        try {
            Duration d = DurationText.parse(text);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new ConfigException(key + ": \"" + text + "\" is not a duration longer than zero; write it like 30s, "
                + "5m or PT5M");
    }
}
