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
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * One resilience4j circuit breaker per channel, used by the channelGate route around the channel's sending
 * route (whose retries and dead letters run first, so one outcome is one alert's whole delivery). After
 * {@code failures} alerts in a row were dead-lettered as undeliverable the circuit opens: the gate then
 * dead-letters the channel's alerts at once ("circuit open") instead of spending the retry budget on each.
 * After {@code openFor} one alert is let through as a probe, tried once without retries (so a probe of a
 * channel that still hangs costs one timeout); its success closes the circuit.
 * A receiver refusing an alert (HTTP 4xx other than 429) is not an outage and counts as a success.
 */
public class ChannelBreakers {

    private static final String STARTED = "VigilBreakerStarted";
    private static final String DEAD_LETTERED = "VigilDeadLettered";
    /** Exchange property on a half-open circuit's probe: the error handling does not retry it. */
    public static final String PROBE = "VigilBreakerProbe";

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

    /** True when the channel's circuit is open: the alert must not be sent now. Otherwise the send may start. */
    public boolean refuses(Exchange exchange) {
        CircuitBreaker cb = breaker(exchange);
        if (cb == null) {
            return false;
        }
        if (!cb.tryAcquirePermission()) {
            return true;
        }
        exchange.removeProperty(DEAD_LETTERED);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.setProperty(STARTED, System.nanoTime());
        if (cb.getState() == CircuitBreaker.State.HALF_OPEN) {
            exchange.setProperty(PROBE, true);
        }
        return false;
    }

    /** Records how the send that {@link #refuses} allowed ended: delivered (or refused by the receiver) or not. */
    public void outcome(Exchange exchange) {
        CircuitBreaker cb = breaker(exchange);
        Long started = exchange.removeProperty(STARTED) instanceof Long l ? l : null;
        exchange.removeProperty(PROBE);
        if (cb == null || started == null) {
            return;
        }
        long took = System.nanoTime() - started;
        // every failure ends in the channel's dead letters (its error handling, or the gate's doCatch)
        boolean deadLettered = Boolean.TRUE.equals(exchange.getProperty(DEAD_LETTERED, Boolean.class));
        Throwable failure = deadLettered ? exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class) : null;
        if (!deadLettered || (failure != null && refusedByReceiver(failure))) {
            cb.onSuccess(took, TimeUnit.NANOSECONDS);
        } else {
            cb.onError(took, TimeUnit.NANOSECONDS, failure != null ? failure : new IllegalStateException("dead-lettered"));
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

    private CircuitBreaker breaker(Exchange exchange) {
        return breakers.get(exchange.getProperty(dev.vigil.Headers.CHANNEL, String.class));
    }

    private static boolean refusedByReceiver(Throwable t) {
        return t instanceof HttpOperationFailedException h && h.getStatusCode() < 500 && h.getStatusCode() != 429;
    }

    private static double gaugeValue(CircuitBreaker cb) {
        return switch (cb.getState()) {
            case OPEN, FORCED_OPEN -> 2;
            case HALF_OPEN -> 1;
            default -> 0;
        };
    }
}
