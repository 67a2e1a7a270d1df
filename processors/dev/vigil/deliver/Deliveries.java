package dev.vigil.deliver;

import dev.vigil.history.HistoryRecorder;

import dev.vigil.Headers;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retry until expiry, per channel (README "What it guarantees", docs/delivery.md). The channel gate hands each
 * alert to {@link #deliver}; it is tried at once through the channel's sending route, which tries exactly once
 * and marks a failure worth retrying (5xx, 429, I/O, an AWS or SMTP error) with {@link #RETRY}. A failed alert is
 * tried again after a capped exponential backoff with jitter ({@code initial} doubling to {@code max}, or the
 * receiver's Retry-After) until its deadline, then dead-lettered as "expired undelivered". The deadline is the
 * alert's expiresAt on a live source (for critical alerts at least {@code criticalTtl} after the frame), and
 * {@code replayWindow} after the first try for everything else (vigil replay, vigil redeliver).
 * <p>
 * Alerts of a live source, and every alert behind the outbox, do not wait on the caller's thread: a failed one
 * joins the channel's <em>lane</em>, an in-order queue with one worker thread, and every later alert of that
 * channel queues behind it (oldest first, before new ones) until the lane is empty. So neither ingestion nor
 * another channel waits. Alerts that expired in the lane are folded into ONE summary alert ("12 alerts missed
 * while webhook was unreachable, 14:02-14:12"), queued once the channel delivers again. Other alerts (replay,
 * redeliver) are retried in place: the caller waits, as those commands promise.
 *
 * <p>Over 250 lines on purpose (a split into schedule, lane and summary classes is the next clean-up): the
 * retry schedule, the per-channel lanes, the breaker's probe and the missed-alert summary share one lock per lane.
 */
public class Deliveries {

    /** Exchange property set by a sending route's error handling: this try failed and is worth another. */
    public static final String RETRY = "VigilRetry";
    /** Exchange property: the alert waits in its channel's lane (its outbox file must stay). */
    public static final String PENDING = "VigilPending";
    private static final String DEAD_LETTERED = Headers.DEAD_LETTERED;
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    /** The retry schedule and deadlines. */
    public record Schedule(Duration initial, Duration max, Duration replayWindow, Duration criticalTtl) {
    }

    /** One alert of a channel waiting for its next try. */
    private static final class Pending {
        final Exchange exchange;
        final Instant deadline;
        Instant due;
        int tries;
        Exception lastFailure;

        /**
         * @param exchange a copy of the gate's exchange. Camel's {@code Exchange.copy()} shares the original's unit
         *     of work; detached here, so each try through the sending route gets its own. A try from a lane's thread
         *     on the shared one found the gate's route on its route stack while the gate's exchange was still
         *     finishing, so the sending route's onException steps were not found and a 500 was taken as delivered.
         */
        Pending(Exchange exchange, Instant deadline, Instant due) {
            exchange.getExchangeExtension().setUnitOfWork(null);
            this.exchange = exchange;
            this.deadline = deadline;
            this.due = due;
        }

        Alert alert() {
            return exchange.getMessage().getBody(Alert.class);
        }
    }

    /** A channel's in-order queue of alerts waiting for a retry, its worker, and what expired in this outage. */
    private final class Lane {
        final String channel;
        final Deque<Pending> queue = new ArrayDeque<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final List<Alert> missed = new ArrayList<>();
        Instant missedFrom;
        Instant missedTo;
        final ScheduledExecutorService worker;
        java.util.concurrent.ScheduledFuture<?> next;
        Instant nextAt;

        Lane(String channel) {
            this.channel = channel;
            ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "vigil-retry-" + channel);
                t.setDaemon(true);
                return t;
            });
            w.setRemoveOnCancelPolicy(true);
            w.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // at a stop, a try in flight ends, no new one
            this.worker = w;
        }

        synchronized int size() {
            return queue.size();
        }
    }

    private final Map<String, Lane> lanes = new TreeMap<>();
    private final Schedule schedule;
    private final ChannelBreakers breakers;
    private final Path deadLetters;
    private final Clock clock;
    private final MeterRegistry metrics;
    private volatile ProducerTemplate template;
    private volatile boolean stopping;

    public Deliveries(List<String> channels, Schedule schedule, ChannelBreakers breakers,
                      Path dataDir, Clock clock, MeterRegistry metrics) {
        this.schedule = schedule;
        this.breakers = breakers;
        this.deadLetters = dataDir.resolve("dead-letters");
        this.clock = clock;
        this.metrics = metrics;
        for (String channel : channels) {
            Lane lane = new Lane(channel);
            lanes.put(channel, lane);
            Gauge.builder("vigil.channel.pending", lane, l -> l.size() + l.inFlight.get()).tag("channel", channel)
                    .description("alerts of the channel tried and not yet delivered, waiting for a retry")
                    .register(metrics);
            Gauge.builder("vigil.channel.dead.letters", this, d -> d.deadLettered(channel)).tag("channel", channel)
                    .description("alerts in the channel's dead letters (dead-letters/alert-<channel>)").register(metrics);
        }
    }

    /** Alerts of this channel waiting for a retry (in its lane or being retried in place). */
    public int pending(String channel) {
        Lane lane = lanes.get(channel);
        return lane == null ? 0 : lane.size() + lane.inFlight.get();
    }

    /** Alerts in this channel's dead letters now. */
    public int deadLettered(String channel) {
        Path dir = deadLetters.resolve("alert-" + channel);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(f -> f.toString().endsWith(".json")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    public List<String> channels() {
        return List.copyOf(lanes.keySet());
    }

    /**
     * The gate's last step: tries the alert now, or queues it behind the channel's waiting alerts. Sets
     * {@link #PENDING} when the alert waits in the lane, VigilDeadLettered when it ended in dead letters.
     */
    public void deliver(Exchange exchange) throws InterruptedException {
        Lane lane = lanes.get(exchange.getProperty(Headers.CHANNEL, String.class));
        Alert alert = exchange.getMessage().getBody(Alert.class);
        boolean async = !stopping && (exchange.getProperty(Headers.ARRIVED_AT) != null
                || exchange.getProperty(Outbox.FILE) != null);
        Instant now = clock.instant();
        Pending p = new Pending(exchange.copy(), deadline(alert, exchange, now), now);
        if (async) {
            synchronized (lane) {
                if (!lane.queue.isEmpty()) {
                    lane.queue.addLast(p);
                    pending(exchange);
                    return;
                }
            }
        }
        if (!async && breakers.refuses(lane.channel)) {
            deadLetter(p.exchange.copy(), lane.channel, "circuit open");
            exchange.setProperty(DEAD_LETTERED, true);
            return;
        }
        boolean probe = !async && breakers.probing(lane.channel);
        lane.inFlight.incrementAndGet();
        try {
            while (true) {
                Exchange result = attempt(lane, p);
                if (result != null) {
                    if (result.getProperty(DEAD_LETTERED) != null) {
                        exchange.setProperty(DEAD_LETTERED, true);
                    }
                    return;
                }
                if (probe) { // the circuit's probe is tried once
                    deadLetter(p.exchange.copy(), lane.channel, "circuit open (the probe failed)");
                    exchange.setProperty(DEAD_LETTERED, true);
                    return;
                }
                if (stopping) { // shutting down: an outbox file keeps the alert for the next start
                    if (exchange.getProperty(Outbox.FILE) != null) {
                        pending(exchange);
                    } else {
                        deadLetter(p.exchange.copy(), lane.channel, "not delivered before shutdown after " + p.tries
                                + " tries (vigil redeliver " + lane.channel + " re-sends it)");
                        exchange.setProperty(DEAD_LETTERED, true);
                    }
                    return;
                }
                if (!next(p)) {
                    expire(lane, p);
                    exchange.setProperty(DEAD_LETTERED, true);
                    return;
                }
                if (async) {
                    synchronized (lane) {
                        lane.queue.addFirst(p);
                    }
                    pending(exchange);
                    wake(lane, p.due);
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(Math.max(0, Duration.between(clock.instant(), p.due).toMillis()));
            }
        } finally {
            lane.inFlight.decrementAndGet();
        }
    }

    /** Marks the gate's exchange: the alert waits, so the gate must not record its id as delivered yet. */
    private static void pending(Exchange exchange) {
        exchange.setProperty(PENDING, true);
        exchange.setProperty(Exchange.FAILURE_HANDLED, true);
    }

    /**
     * The alert's deadline: on a live source its expiresAt (a critical alert's at least criticalTtl after its
     * frame); a replayed or redelivered alert (whose expiry may lie in the past) gets replayWindow from now.
     */
    Instant deadline(Alert alert, Exchange exchange, Instant now) {
        if (exchange.getProperty(Headers.ARRIVED_AT) == null) {
            return now.plus(schedule.replayWindow());
        }
        return liveDeadline(alert);
    }

    private Instant liveDeadline(Alert alert) {
        Instant critical = alert.observedAt() == null ? null : alert.observedAt().plus(schedule.criticalTtl());
        return alert.severity() == Severity.CRITICAL && critical != null && critical.isAfter(alert.expiresAt())
                ? critical : alert.expiresAt();
    }

    /** The gate's check: an alert of a live source whose deadline passed before it could be tried at all. */
    public boolean expired(Alert alert, Exchange exchange) {
        return exchange.getProperty(Headers.ARRIVED_AT) != null && clock.instant().isAfter(liveDeadline(alert));
    }

    /** Sets the pending alert's next try; false when its deadline has passed. */
    private boolean next(Pending p) {
        Instant now = clock.instant();
        if (!now.isBefore(p.deadline)) {
            return false;
        }
        Instant due = now.plus(backoff(p));
        p.due = due.isAfter(p.deadline) ? p.deadline : due;
        return true;
    }

    /** Retry-After when the receiver sent one, else initial x 2^(tries-1), at most max, with half of it jittered. */
    Duration backoff(Pending p) {
        Duration asked = beans(p.exchange.getContext()).retryAfter().asked(p.lastFailure);
        if (asked != null) {
            return asked;
        }
        long base = schedule.initial().toMillis() << Math.min(20, Math.max(0, p.tries - 1));
        long capped = Math.min(base, schedule.max().toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** One try through the channel's sending route: the finished exchange, or null when it is worth retrying. */
    private Exchange attempt(Lane lane, Pending p) {
        Exchange copy = p.exchange.copy();
        copy.removeProperty(RETRY);
        copy.removeProperty(DEAD_LETTERED);
        copy.removeProperty(Exchange.EXCEPTION_CAUGHT);
        long started = System.nanoTime();
        Exchange result = template(copy.getContext()).send(ChannelDirectory.sendEndpoint(lane.channel), copy);
        p.tries++;
        long took = System.nanoTime() - started;
        if (result.getException() != null) {
            // not an outage of the receiver (a bug, an alert the channel cannot render): dead-lettered as it was
            Exception e = result.getException();
            result.setException(null);
            result.getMessage().setBody(p.alert());
            deadLetter(result, lane.channel, lane.channel + " failed: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
            breakers.failed(lane.channel, took);
            return result;
        }
        if (result.getProperty(RETRY) != null) {
            p.lastFailure = result.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            metrics.counter("vigil.delivery.retries", "channel", lane.channel, "cause", cause(p.lastFailure)).increment();
            breakers.failed(lane.channel, took);
            return null;
        }
        breakers.delivered(lane.channel, took); // delivered, or refused by the receiver (4xx): not an outage
        if (result.getProperty(DEAD_LETTERED) == null) {
            Beans beans = beans(copy.getContext());
            IdempotentRepository delivered = beans.delivered();
            if (delivered != null) {
                delivered.add(lane.channel + ":" + p.alert().id()); // what the gate skips from now on
            }
            summariseMissed(lane, p);
            HistoryRecorder history = beans.history();
            if (history != null) {
                history.delivered(p.exchange); // this channel's outcome in the alert history (the alert as it was)
            }
        }
        return result;
    }

    /** The lane's worker: tries the oldest waiting alert when due; expired ones go to dead letters untried. */
    private void drain(Lane lane) {
        while (true) {
            Pending p;
            synchronized (lane) {
                p = lane.queue.peekFirst();
                if (p == null) {
                    return;
                }
            }
            Instant now = clock.instant();
            if (p.tries == 0 && now.isAfter(p.deadline)) { // expired while it waited behind others: not tried
                synchronized (lane) {
                    lane.queue.pollFirst();
                }
                expire(lane, p);
                continue;
            }
            if (p.due.isAfter(now)) {
                wake(lane, p.due);
                return;
            }
            if (stopping) {
                return;
            }
            Exchange result = attempt(lane, p);
            if (result == null && next(p)) {
                wake(lane, p.due);
                return;
            }
            synchronized (lane) {
                lane.queue.pollFirst();
            }
            if (result == null) {
                expire(lane, p);
            } else {
                finished(lane, p);
            }
        }
    }

    /** Schedules the lane's worker for {@code due}, unless it is already due by then (one wake-up at a time). */
    private void wake(Lane lane, Instant due) {
        synchronized (lane) {
            if (stopping || (lane.next != null && !lane.next.isDone() && !lane.nextAt.isAfter(due))) {
                return;
            }
            if (lane.next != null) {
                lane.next.cancel(false);
            }
            long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
            lane.nextAt = due;
            lane.next = lane.worker.schedule(() -> {
                synchronized (lane) {
                    lane.next = null;
                }
                try {
                    drain(lane);
                } catch (RuntimeException e) {
                    LOG.error("retry lane of channel {} failed; it resumes in a second", lane.channel, e);
                    wake(lane, clock.instant().plusSeconds(1));
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Dead-letters an alert whose deadline passed undelivered, and keeps it for the outage's summary. */
    private void expire(Lane lane, Pending p) {
        Alert alert = p.alert();
        Exchange letter = p.exchange.copy();
        String last = p.lastFailure == null ? "" : " (last: " + p.lastFailure.getClass().getSimpleName() + " "
                + (p.lastFailure instanceof org.apache.camel.http.base.HttpOperationFailedException h
                ? "HTTP " + h.getStatusCode() : "") + ")";
        deadLetter(letter, lane.channel, "expired undelivered after " + p.tries + " tr" + (p.tries == 1 ? "y" : "ies")
                + last.replace(" )", ")"));
        if (alert.type() != AlertType.SUMMARY) {
            synchronized (lane) {
                Instant now = clock.instant();
                lane.missed.add(alert);
                lane.missedFrom = lane.missedFrom == null ? alert.observedAt() : lane.missedFrom;
                lane.missedTo = now;
            }
        }
        finished(lane, p);
    }

    private void deadLetter(Exchange exchange, String channel, String reason) {
        exchange.getMessage().setHeader(Headers.DEAD_LETTER_KIND, "alert-" + channel);
        exchange.getMessage().setHeader(Headers.DEAD_LETTER_REASON, reason);
        template(exchange.getContext()).send("direct:deadLetter", exchange);
        exchange.setProperty(DEAD_LETTERED, true);
    }

    /** The alert's outbox file (if any) goes once it is delivered or dead-lettered. */
    private void finished(Lane lane, Pending p) {
        String file = p.exchange.getProperty(Outbox.FILE, String.class);
        Outbox outbox = beans(p.exchange.getContext()).outbox();
        if (file != null && outbox != null) {
            outbox.done(lane.channel, Path.of(file));
        }
    }

    /** After an outage, what expired undelivered becomes one summary alert, queued once behind the waiting ones. */
    private void summariseMissed(Lane lane, Pending delivered) {
        Alert summary;
        synchronized (lane) {
            if (lane.missed.isEmpty()) {
                return;
            }
            summary = missedSummary(lane.channel, lane.missed, lane.missedFrom, lane.missedTo);
            lane.missed.clear();
            lane.missedFrom = null;
            lane.missedTo = null;
            Exchange e = delivered.exchange.copy();
            e.getMessage().setBody(summary);
            e.removeProperty(Outbox.FILE);
            e.setProperty(Headers.SOURCE_REF, "missed:" + lane.channel);
            Instant now = clock.instant();
            lane.queue.addLast(new Pending(e, now.plus(schedule.replayWindow()), now));
        }
        LOG.info("channel {} is delivering again: {} alert(s) expired undelivered, summary {} queued", lane.channel,
                summary.summary().count(), summary.id());
        wake(lane, clock.instant());
    }

    static Alert missedSummary(String channel, List<Alert> missed, Instant from, Instant to) {
        Map<String, Integer> byType = new TreeMap<>();
        Map<String, Integer> byCamera = new TreeMap<>();
        for (Alert a : missed) {
            byType.merge(a.type().wire(), 1, Integer::sum);
            byCamera.merge(a.camera() == null ? "unknown" : a.camera().id(), 1, Integer::sum);
        }
        Alert last = missed.get(missed.size() - 1);
        Severity severity = missed.stream().map(Alert::severity).max(Comparator.naturalOrder()).orElse(Severity.INFO);
        Alert.Summary s = new Alert.Summary(channel, from, to, 0, missed.size(), byType, byCamera,
                missed.stream().map(Alert::id).toList(), Alert.Summary.MISSED);
        String id = UUID.nameUUIDFromBytes(("missed:" + channel + ":" + missed.get(0).id())
                .getBytes(StandardCharsets.UTF_8)).toString();
        String reason = missed.size() + " alert" + (missed.size() == 1 ? "" : "s") + " expired undelivered while "
                + channel + " was unreachable; the latest is described here";
        return new Alert(Alert.VERSION, id, AlertType.SUMMARY, severity, reason, last.camera(), null, last.visit(),
                last.observedAt(), last.expiresAt(), false, missed.stream().allMatch(Alert::replayed), last.face(),
                last.source(), s);
    }

    /**
     * When Vigil stops: the lanes stop trying. An alert behind the outbox stays in its file (sent after the next
     * start); any other waiting alert is dead-lettered "still pending at shutdown", for vigil redeliver.
     */
    public void stop() {
        stopping = true;
        for (Lane lane : lanes.values()) {
            lane.worker.shutdown();
            try {
                lane.worker.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<Pending> left;
            synchronized (lane) {
                left = new ArrayList<>(lane.queue);
                lane.queue.clear();
            }
            for (Pending p : left) {
                if (p.exchange.getProperty(Outbox.FILE) == null) {
                    deadLetter(p.exchange.copy(), lane.channel, "still pending at shutdown after " + p.tries
                            + " tries (vigil redeliver " + lane.channel + " re-sends it)");
                }
            }
        }
    }

    /** The beans a try needs (some optional: no outbox, no history), looked up once rather than per alert. */
    private record Beans(RetryAfter retryAfter, IdempotentRepository delivered, HistoryRecorder history, Outbox outbox) {
    }

    private volatile Beans beans;

    private Beans beans(CamelContext context) {
        Beans b = beans;
        if (b == null) {
            var registry = context.getRegistry();
            b = new Beans(registry.lookupByNameAndType("retryAfter", RetryAfter.class),
                    registry.lookupByNameAndType("deliveredAlerts", IdempotentRepository.class),
                    registry.lookupByNameAndType("historyRecorder", HistoryRecorder.class),
                    registry.lookupByNameAndType("outbox", Outbox.class));
            beans = b;
        }
        return b;
    }

    private ProducerTemplate template(CamelContext context) {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
            }
        }
        return template;
    }

    private static String cause(Exception e) {
        if (e instanceof org.apache.camel.http.base.HttpOperationFailedException h) {
            return h.getStatusCode() == 429 ? "http_429" : "http_5xx";
        }
        if (e instanceof software.amazon.awssdk.core.exception.SdkException sdk
                && software.amazon.awssdk.core.retry.RetryUtils.isThrottlingException(sdk)) {
            return "throttled";
        }
        return e instanceof IOException ? "io" : "error";
    }
}
