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
 * that opened only recently is reported in the details but leaves the check UP.
 */
public class ChannelsHealthCheck implements HealthCheck {

    private final ChannelBreakers breakers;
    private final Duration unhealthyAfter;
    private volatile boolean enabled = true;

    public ChannelsHealthCheck(ChannelBreakers breakers, Duration unhealthyAfter) {
        this.breakers = breakers;
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
        Map<String, Instant> tooLong = open.entrySet().stream()
                .filter(e -> Duration.between(e.getValue(), now).compareTo(unhealthyAfter) > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (tooLong.isEmpty()) {
            return result.up().build();
        }
        return result.down().message(tooLong.entrySet().stream()
                .map(e -> "channel " + e.getKey() + ": circuit open since " + e.getValue())
                .collect(Collectors.joining("; ")) + " (alerts go to its dead letters; vigil redeliver "
                + "re-sends them)").build();
    }
}
