package dev.vigil.operate;

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
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what enters the decision route and what each channel's sending route returns, without touching
 * the routes: {@code vigil_records_total{camera}}, {@code vigil_deliveries_total{channel,type,outcome}},
 * {@code vigil_delivery_seconds{channel,outcome}} (from the channel's sending route being called to its
 * answer, retries included), and one log line per alert sent (INFO) or dead-lettered (WARN) with its ids.
 * Labels and logs carry camera ids, channel names and alert types only: never a person.
 */
final class DeliveryEvents extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.alerts");
    private static final String ALERT = "VigilObservedAlert";

    private final MeterRegistry metrics;
    private final Map<String, String> cameraByKey = new HashMap<>();
    /** vigil_records_total by camera key, looked up once per key rather than per record (issue 15). */
    private final Map<String, Counter> records = new ConcurrentHashMap<>();
    private final Map<String, String> roles = new ConcurrentHashMap<>();
    private static final String RECORD = new String("record");
    private static final String NONE = new String("none");
    private static final String DEAD_LETTER = new String("dead-letter");

    DeliveryEvents(MeterRegistry metrics, Household household) {
        this.metrics = metrics;
        for (Household.Camera c : household.cameras()) {
            if (c.kvsStream() != null) {
                cameraByKey.put(c.kvsStream(), c.id());
            }
        }
        Observability.sendEventsOnly(this);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent || event instanceof ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSendingEvent sending) {
            String channel = role(sending.getEndpoint().getEndpointUri());
            if (channel == NONE || channel == RECORD || channel == DEAD_LETTER) {
                return;
            }
            if (channel != null && sending.getExchange().getMessage().getBody() instanceof Alert alert) {
                sending.getExchange().setProperty(ALERT + channel, alert);
            }
        } else if (event instanceof ExchangeSentEvent sent) {
            String channel = role(sent.getEndpoint().getEndpointUri());
            if (channel == NONE) {
                return;
            }
            if (channel == DEAD_LETTER) {
                deadLettered(sent);
                return;
            }
            if (channel == RECORD) {
                String key = sent.getExchange().getProperty(Headers.CAMERA_KEY, String.class);
                records.computeIfAbsent(key == null ? "" : key, k -> metrics.counter("vigil.records", "camera",
                        k.isEmpty() ? "unparsed" : cameraByKey.getOrDefault(k, k))).increment();
                return;
            }
            Alert alert = channel == null ? null : sent.getExchange().getProperty(ALERT + channel, Alert.class);
            if (alert != null) {
                sent.getExchange().removeProperty(ALERT + channel);
                delivered(sent.getExchange(), channel, alert, sent.getTimeTaken());
            }
        }
    }

    /**
     * An alert dead-lettered outside its channel's sending route (expired before or while it was retried, still
     * pending at shutdown) is counted and logged like one the sending route dead-lettered.
     */
    private void deadLettered(ExchangeSentEvent sent) {
        Exchange exchange = sent.getExchange();
        String kind = exchange.getMessage().getHeader(Headers.DEAD_LETTER_KIND, String.class);
        if (kind == null || !kind.startsWith("alert-") || !(exchange.getMessage().getBody() instanceof Alert alert)) {
            return;
        }
        String channel = kind.substring("alert-".length());
        if (exchange.getProperty(ALERT + channel) == null) { // inside the sending route: counted when it returns
            delivered(exchange, channel, alert, sent.getTimeTaken());
        }
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

    /**
     * What an endpoint is to these events, looked up once per endpoint URI rather than per event (issue 15):
     * {@link #RECORD} (the decision route's entry), a channel's name, or {@link #NONE}. Compared by identity.
     */
    private String role(String uri) {
        String known = roles.get(uri);
        if (known != null) {
            return known;
        }
        String channel = channel(uri);
        String u = normalise(uri);
        String role = channel != null ? channel : u.equals("direct:record") ? RECORD
                : u.equals("direct:deadLetter") ? DEAD_LETTER : NONE;
        if (roles.size() < 10_000) { // endpoint URIs are the routes' few; a dynamic one is not kept forever
            roles.put(uri, role);
        }
        return role;
    }

    /** The channel a sending route belongs to (direct:send-NAME, the console route), else null. */
    private static String channel(String uri) {
        String u = normalise(uri);
        if (u.startsWith("direct:send-")) {
            return u.substring("direct:send-".length());
        }
        return u.equals("direct:deliverConsole") ? "console" : null;
    }

    private static String normalise(String uri) {
        String u = uri.startsWith("direct://") ? "direct:" + uri.substring("direct://".length()) : uri;
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q);
    }
}
