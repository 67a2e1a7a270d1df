package dev.vigil.operate;

import dev.vigil.DecisionRoutes;
import dev.vigil.Headers;
import dev.vigil.config.Household;
import dev.vigil.model.Alert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what enters the decision route and what each channel's sending route returns, without touching
 * the routes: {@code vigil_records_total{camera}}, {@code vigil_deliveries_total{channel,type,outcome}},
 * {@code vigil_delivery_seconds{channel,outcome}} (from the channel's sending route being called to its
 * answer, retries included), and one log line per alert sent (INFO) or dead-lettered (WARN) with its ids.
 * Labels and logs carry camera ids, channel names and alert types only: never a person.
 *
 * <p>A route policy on the few routes it watches, chosen by the endpoint they consume (a channel's
 * direct:send-NAME or direct:deliverConsole, direct:deadLetter); every other route runs without it. It used to be
 * an event notifier of every exchange's sends, and as long as one notifier takes exchange events Camel creates
 * and hands out event objects at every exchange's creation, completion and send: several per record, about a
 * tenth of the decision routes' per-record cost (BENCHMARKS.md, branch ratio). An alert's outcome is taken when its
 * exchange's unit of work is done (also while Vigil shuts down: an alert in flight is logged). Records are counted
 * by the decision route's parser step, which tells {@link #recordCounted} (no policy on the decision route at all).
 */
final class DeliveryEvents implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.alerts");
    private static final String ALERT = "VigilObservedAlert";

    private final MeterRegistry metrics;
    private final Map<String, String> cameraByKey = new HashMap<>();
    /** vigil_records_total by camera key, looked up once per key rather than per record (issue 15). */
    private final Map<String, Counter> records = new ConcurrentHashMap<>();

    DeliveryEvents(MeterRegistry metrics, Household household) {
        this.metrics = metrics;
        for (Household.Camera c : household.cameras()) {
            if (c.kvsStream() != null) {
                cameraByKey.put(c.kvsStream(), c.id());
            }
        }
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        String uri = DecisionRoutes.normalise(fromUri(context, route));
        if (uri.equals("direct:deadLetter")) {
            return new DeadLetters();
        }
        String channel = uri.startsWith("direct:send-") ? uri.substring("direct:send-".length())
                : uri.equals("direct:deliverConsole") ? "console" : null;
        return channel == null ? null : new Sending(channel);
    }

    /** The endpoint a route consumes, its placeholders (and a route template's parameters) resolved. */
    private static String fromUri(CamelContext context, NamedNode route) {
        if (!(route instanceof RouteDefinition definition) || definition.getInput() == null
                || definition.getInput().getEndpointUri() == null) {
            return "";
        }
        String uri = definition.getInput().getEndpointUri();
        try {
            return context.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            return uri;
        }
    }

    /**
     * vigil_records_total{camera}: one record the decision route's parser step (direct:record) is done with, by its
     * camera key ("" when it did not parse: camera "unparsed").
     */
    void recordCounted(String key) {
        Counter counter = records.get(key); // a plain read first: computeIfAbsent may lock the bin
        if (counter == null) {
            counter = records.computeIfAbsent(key, k -> metrics.counter("vigil.records", "camera",
                    k.isEmpty() ? "unparsed" : cameraByKey.getOrDefault(k, k)));
        }
        counter.increment();
    }

    /** A channel's sending route: the alert it was handed, and how that ended once its exchange is done. */
    private final class Sending extends RoutePolicySupport {
        private final String channel;

        Sending(String channel) {
            this.channel = channel;
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (exchange.getMessage().getBody() instanceof Alert alert) {
                exchange.setProperty(ALERT + channel, alert);
                countWhenDone(exchange, channel, alert);
            }
        }
    }

    /**
     * An alert dead-lettered outside its channel's sending route (expired before or while it was retried, held,
     * still pending at shutdown) is counted and logged like one the sending route dead-lettered; inside the sending
     * route it is counted when that route is done.
     */
    private final class DeadLetters extends RoutePolicySupport {
        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            String kind = exchange.getMessage().getHeader(Headers.DEAD_LETTER_KIND, String.class);
            if (kind == null || !kind.startsWith("alert-") || !(exchange.getMessage().getBody() instanceof Alert alert)) {
                return;
            }
            String channel = kind.substring("alert-".length());
            if (exchange.getProperty(ALERT + channel) != null) {
                return; // inside the sending route: counted when it returns
            }
            countWhenDone(exchange, channel, alert);
        }
    }

    /** The alert's outcome on {@code channel}, counted and logged when its exchange is done (timed from now). */
    private void countWhenDone(Exchange exchange, String channel, Alert alert) {
        long started = System.nanoTime();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                done.removeProperty(ALERT + channel);
                delivered(done, channel, alert, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
        });
    }

    private void delivered(Exchange exchange, String channel, Alert alert, long millis) {
        if (exchange.getProperty(dev.vigil.deliver.Deliveries.RETRY) != null) {
            // one failed try of an alert that is retried: its final outcome is counted; the try in vigil_delivery_retries_total
            return;
        }
        String outcome = Boolean.TRUE.equals(exchange.getProperty(Headers.DEAD_LETTERED, Boolean.class))
                ? "dead_lettered" : exchange.getException() != null ? "failed" : "delivered";
        metrics.counter("vigil.deliveries", "channel", channel, "type", alert.type().wire(), "outcome", outcome)
                .increment();
        Timer.builder("vigil.delivery").tag("channel", channel).tag("outcome", outcome)
                .description("from handing an alert to a channel to its answer, retries included")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(2)).register(metrics).record(Duration.ofMillis(millis));
        String camera = alert.camera() == null ? "" : alert.camera().id();
        if (outcome.equals("delivered")) {
            LOG.info("alert sent id={} type={} severity={} camera={} visit={} channel={} in {} ms", alert.id(),
                    alert.type().wire(), alert.severity(), camera, alert.visit() == null ? "" : alert.visit().id(),
                    channel, millis);
        } else {
            LOG.warn("alert {} id={} type={} severity={} camera={} channel={} after {} ms", outcome.replace('_', '-'),
                    alert.id(), alert.type().wire(), alert.severity(), camera, channel, millis);
        }
    }
}
