package dev.vigil.deliver;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One resilience4j circuit breaker per channel, fed one outcome per try by {@link Deliveries}: after
 * {@code failures} tries in a row failed (5xx, 429, I/O, an AWS or SMTP error) the circuit opens; the next
 * delivered alert closes it again. While it is open a live channel's alerts wait in its retry lane, in order,
 * and the lane's retries are the probes (at most {@code vigil.delivery.retry-max} apart); when it closes, what
 * waited goes out oldest first, and what expired meanwhile in one summary alert. Alerts retried in place
 * (replay, redeliver) are dead-lettered at once while it is open ({@link #refuses}), one probe per
 * {@code openFor} apart. The state shows in the
 * gauge vigil_channel_circuit and the readiness check "channels".
 * A receiver refusing an alert (HTTP 4xx other than 429) is not an outage and counts as a success.
 */
public class ChannelBreakers {

    private final Map<String, CircuitBreaker> breakers = new TreeMap<>();
    private final Map<String, Instant> openSince = new ConcurrentHashMap<>();
    private final Clock clock;

    public ChannelBreakers(Collection<String> channels, int failures, Duration openFor, Clock clock,
                           MeterRegistry metrics) {
        this.clock = clock;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(failures).minimumNumberOfCalls(failures).failureRateThreshold(100f)
                .waitDurationInOpenState(openFor).permittedNumberOfCallsInHalfOpenState(1)
                .build();
        for (String channel : channels) {
            CircuitBreaker cb = CircuitBreaker.of(channel, config);
            cb.getEventPublisher().onStateTransition(e -> {
                switch (e.getStateTransition().getToState()) {
                    case OPEN -> openSince.putIfAbsent(channel, clock.instant());
                    case CLOSED -> openSince.remove(channel);
                    default -> { }
                }
            });
            breakers.put(channel, cb);
            Gauge.builder("vigil.channel.circuit", cb, ChannelBreakers::gaugeValue).tag("channel", channel)
                    .description("circuit of the channel: 0 closed, 1 half-open (probing), 2 open")
                    .register(metrics);
        }
    }

    /**
     * For alerts retried in place (replay, redeliver): true while the channel's circuit is open, so the alert is
     * dead-lettered at once ("circuit open") instead of spending its retry window; after {@code openFor} one
     * alert is let through as a probe, tried once ({@link #probing}).
     */
    public boolean refuses(String channel) {
        CircuitBreaker cb = breakers.get(channel);
        return cb != null && !cb.tryAcquirePermission();
    }

    /** True while the channel's circuit lets one probe through (half-open). */
    public boolean probing(String channel) {
        CircuitBreaker cb = breakers.get(channel);
        return cb != null && cb.getState() == CircuitBreaker.State.HALF_OPEN;
    }

    /** A try on the channel failed in a way worth retrying. */
    public void failed(String channel, long tookNanos) {
        CircuitBreaker cb = breakers.get(channel);
        if (cb != null && cb.getState() != CircuitBreaker.State.OPEN) {
            cb.onError(tookNanos, TimeUnit.NANOSECONDS, new IllegalStateException("delivery failed"));
        }
    }

    /** A try on the channel reached the receiver (delivered, or refused as a 4xx): the circuit closes. */
    public void delivered(String channel, long tookNanos) {
        CircuitBreaker cb = breakers.get(channel);
        if (cb == null) {
            return;
        }
        if (cb.getState() == CircuitBreaker.State.CLOSED) {
            cb.onSuccess(tookNanos, TimeUnit.NANOSECONDS);
        } else {
            cb.transitionToClosedState();
        }
    }

    /** Channels whose circuit is open or probing, with when it opened. */
    public Map<String, Instant> openSince() {
        return new TreeMap<>(openSince);
    }

    /** The channels that have a circuit (every configured one except console). */
    public java.util.Set<String> channels() {
        return java.util.Collections.unmodifiableSet(breakers.keySet());
    }

    public CircuitBreaker.State state(String channel) {
        return breakers.get(channel).getState();
    }

    public Clock clock() {
        return clock;
    }

    private static double gaugeValue(CircuitBreaker cb) {
        return switch (cb.getState()) {
            case OPEN, FORCED_OPEN -> 2;
            case HALF_OPEN -> 1;
            default -> 0;
        };
    }
}
