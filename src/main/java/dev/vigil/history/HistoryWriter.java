package dev.vigil.history;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes history events off the delivery path: a bounded buffer (vigil.history.buffer events) drained in
 * arrival order by one writer thread, up to vigil.history.batch events per {@link HistoryStore#write} call (the
 * embedded store writes a batch in one transaction). Ordering matters: an alert is written before the
 * outcomes of its channels.
 *
 * <p>Never blocks or fails delivery, never loses silently: when the buffer is full, {@link #offer} waits
 * at most vigil.history.offer-timeout, then drops the event, counting it ({@code vigil_history_dropped_total})
 * with a WARN; a store failure is counted ({@code vigil_history_write_failures_total}) and logged WARN
 * with the exception class only (no names). On stop the buffer is drained before the store closes.
 */
public final class HistoryWriter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);

    private final HistoryStore store;
    private final BlockingQueue<HistoryEvent> buffer;
    private final int batch;
    private final Duration offerTimeout;
    private final Counter written;
    private final Counter failures;
    private final Counter dropped;
    private Thread thread;
    private volatile boolean running;

    public HistoryWriter(HistoryStore store, int capacity, int batch, Duration offerTimeout, MeterRegistry metrics) {
        this.store = store;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.batch = batch;
        this.offerTimeout = offerTimeout;
        this.written = Counter.builder("vigil.history.written").description("history events written").register(metrics);
        this.failures = Counter.builder("vigil.history.write.failures")
                .description("history events the store failed to write").register(metrics);
        this.dropped = Counter.builder("vigil.history.dropped")
                .description("history events dropped: the buffer stayed full for vigil.history.offer-timeout")
                .register(metrics);
        Gauge.builder("vigil.history.buffer", buffer, BlockingQueue::size)
                .description("history events waiting to be written").register(metrics);
    }

    public HistoryStore store() {
        return store;
    }

    /** Queues an event; never throws. @return false when it was dropped (counted, logged) */
    public boolean offer(HistoryEvent event) {
        try {
            if (buffer.offer(event) || buffer.offer(event, offerTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropped.increment();
        LOG.warn("alert history: buffer full for {}; an event was not recorded (vigil_history_dropped_total)",
                offerTimeout);
        return false;
    }

    /** Waits until everything queued so far is written (tests, the benchmark, shutdown). */
    public boolean awaitEmpty(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (buffer.isEmpty() && !writing) {
                    return true;
                }
            }
            Thread.sleep(5);
        }
        return false;
    }

    private volatile boolean writing;

    @Override
    protected void doStart() {
        running = true;
        thread = new Thread(this::loop, "vigil-history-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (thread != null) { // null: the context stopped before it started (a start-up that failed)
            thread.interrupt();
            thread.join(30_000);
            drain(); // whatever arrived after the thread ended
        }
        store.close();
    }

    private void loop() {
        while (running) {
            try {
                HistoryEvent first = buffer.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    List<HistoryEvent> events = new ArrayList<>(batch);
                    synchronized (this) {
                        writing = true;
                    }
                    events.add(first);
                    boolean stopping = linger();
                    buffer.drainTo(events, batch - 1);
                    write(events);
                    synchronized (this) {
                        writing = false;
                    }
                    if (stopping) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        synchronized (this) {
            writing = false;
        }
    }

    /**
     * After the first event of a batch, what arrives within {@value #LINGER_MS} ms goes into the same transaction:
     * at a high decision rate alerts come one by one, and a transaction (a read, two statements, a commit) per
     * alert or two cost the writer thread about a third of the process's CPU next to the deciding threads in
     * {@code vigil bench} (issue 15). History is read by people, so 50 ms later is invisible.
     *
     * @return true when the writer is being stopped (the batch in hand is still written)
     */
    private boolean linger() {
        try {
            Thread.sleep(LINGER_MS);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static final long LINGER_MS = 50;

    private void drain() {
        List<HistoryEvent> events = new ArrayList<>();
        while (buffer.drainTo(events, batch) > 0) {
            write(events);
            events.clear();
        }
    }

    /** Writes a batch in order ({@link HistoryStore#write}); a failure counts every event of it. */
    void write(List<HistoryEvent> events) {
        attempt(events.size(), () -> store.write(events));
    }

    private void attempt(int events, Runnable write) {
        try {
            write.run();
            written.increment(events);
        } catch (RuntimeException e) {
            failures.increment(events);
            LOG.warn("alert history: {} event(s) not written ({}); delivery is not affected"
                    + " (vigil_history_write_failures_total)", events, e.getClass().getSimpleName());
        }
    }
}
