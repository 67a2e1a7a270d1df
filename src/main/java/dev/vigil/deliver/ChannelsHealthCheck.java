package dev.vigil.deliver;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness check "channels": DOWN while some channel's circuit has been open (or probing without success)
 * for longer than {@code unhealthyAfter}, naming each such channel and since when; UP otherwise. A circuit
 * that opened only recently is reported in the details but leaves the check UP. Details also give every
 * channel's alerts waiting for a retry ({@code channel.<name>.pending}) and in its dead letters
 * ({@code channel.<name>.deadLettered}).
 */
public class ChannelsHealthCheck implements HealthCheck {

    private final ChannelBreakers breakers;
    private final Deliveries deliveries;
    private final Duration unhealthyAfter;
    private volatile boolean enabled = true;

    public ChannelsHealthCheck(ChannelBreakers breakers, Deliveries deliveries, Duration unhealthyAfter) {
        this.breakers = breakers;
        this.deliveries = deliveries;
        this.unhealthyAfter = unhealthyAfter;
    }

    @Override
    public String getId() {
        return "channels";
    }

    @Override
    public String getGroup() {
        return "vigil";
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this);
        Instant now = breakers.clock().instant();
        Map<String, Instant> open = breakers.openSince();
        open.forEach((channel, since) -> result.detail("channel." + channel + ".openSince", since.toString()));
        for (String channel : deliveries.channels()) {
            result.detail("channel." + channel + ".pending", deliveries.pending(channel));
            result.detail("channel." + channel + ".deadLettered", deliveries.deadLettered(channel));
        }
        Map<String, Instant> tooLong = open.entrySet().stream()
                .filter(e -> Duration.between(e.getValue(), now).compareTo(unhealthyAfter) > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (tooLong.isEmpty()) {
            return result.up().build();
        }
        return result.down().message(tooLong.entrySet().stream()
                .map(e -> "channel " + e.getKey() + ": circuit open since " + e.getValue())
                .collect(Collectors.joining("; ")) + " (its alerts wait and are retried until they "
                + "expire; see channel.<name>.pending)").build();
    }
}
