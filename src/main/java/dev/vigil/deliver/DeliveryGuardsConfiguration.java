package dev.vigil.deliver;

import dev.vigil.config.AreaConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;

/**
 * What guards the channels (after {@link ChannelsConfiguration}): retry until expiry ({@code deliveries}), per-channel circuit breakers
 * ({@code channelBreakers}) with their readiness check ({@code channelsHealthCheck}, id "channels"), the rate
 * guard ({@code rateGuard}), each webhook's timeouts ({@code webhookTimeouts}) and, with vigil.outbox.enabled,
 * the {@code outbox}. Settings: vigil.breaker.*, vigil.rate-guard.*, vigil.webhook.*-timeout-ms,
 * vigil.outbox.*; per channel from the household file.
 */
public class DeliveryGuardsConfiguration extends AreaConfiguration {

    @BeanInject("channels")
    ChannelDirectory channels;

    private ChannelBreakers breakers;

    @BindToRegistry
    public ChannelBreakers channelBreakers() {
        if (breakers == null) {
            breakers = new ChannelBreakers(guarded(), settings.whole("vigil.breaker.failures", 1),
                    settings.positiveDuration("vigil.breaker.open-for"), clock, metrics);
        }
        return breakers;
    }

    private Deliveries deliveries;

    /** Retry until expiry (vigil.delivery.*, docs/delivery.md): each channel's in-order retry lane. */
    @BindToRegistry
    public Deliveries deliveries() {
        if (deliveries == null) {
            deliveries = new Deliveries(guarded(), new Deliveries.Schedule(settings.positiveDuration("vigil.delivery.retry-initial"),
                    settings.positiveDuration("vigil.delivery.retry-max"), settings.positiveDuration("vigil.delivery.replay-window"),
                    settings.positiveDuration("vigil.delivery.critical-ttl")), channelBreakers(), dataDir, clock, metrics);
        }
        return deliveries;
    }

    @BindToRegistry
    public ChannelsHealthCheck channelsHealthCheck() {
        return new ChannelsHealthCheck(channelBreakers(), deliveries(), settings.positiveDuration("vigil.breaker.unhealthy-after"));
    }

    private RateGuard guard;

    @BindToRegistry
    public RateGuard rateGuard() {
        if (guard == null) {
            guard = newRateGuard();
        }
        return guard;
    }

    private RateGuard newRateGuard() {
        RateGuard.Limit fallback = new RateGuard.Limit(settings.whole("vigil.rate-guard.max", 0),
                settings.positiveDuration("vigil.rate-guard.per"));
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
        if (c.mqtt() != null) {
            limits.put("mqtt", limit(c.mqtt().rateLimit(), fallback));
        }
        return new RateGuard(limits, settings.flag("vigil.rate-guard.exempt-critical"), clock);
    }

    @BindToRegistry
    public WebhookTimeouts webhookTimeouts() {
        return new WebhookTimeouts(household.channels(), settings.whole("vigil.webhook.connect-timeout-ms", 1),
                settings.whole("vigil.webhook.response-timeout-ms", 1));
    }

    /** The channel gate's guards in their order (routes/40-deliver): expiry, rate guard. */
    @BindToRegistry
    public ChannelGuards channelGuards() {
        return new ChannelGuards(deliveries(), rateGuard());
    }

    /** A bounded, durable buffer per channel, when vigil.outbox.enabled. Console is not buffered: it cannot be slow or down. */
    @BindToRegistry
    public Outbox outbox() {
        if (!settings.flag("vigil.outbox.enabled")) {
            return null;
        }
        return new Outbox(dataDir, json, metrics, guarded(), settings.whole("vigil.outbox.capacity", 1),
                settings.duration("vigil.outbox.offer-timeout").toMillis());
    }

    /** Every channel except the console. */
    private List<String> guarded() {
        List<String> names = new ArrayList<>();
        channels.webhooks().forEach(w -> names.add(w.name()));
        if (channels.sns() != null) {
            names.add("sns");
        }
        if (channels.email() != null) {
            names.add("email");
        }
        if (channels.mqtt() != null) {
            names.add("mqtt");
        }
        return names;
    }

    private static RateGuard.Limit limit(dev.vigil.config.Channels.RateLimit r, RateGuard.Limit fallback) {
        return r == null ? fallback : new RateGuard.Limit(r.max() == null ? fallback.max() : r.max(),
                r.per() == null ? fallback.per() : r.per());
    }
}
