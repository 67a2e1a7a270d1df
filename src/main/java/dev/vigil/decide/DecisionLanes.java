package dev.vigil.decide;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the records of one feeder (a replay, the benchmark) on several threads, in order per camera: each
 * record goes to one of {@code lanes} lanes chosen by its camera (the results stream in the record), and each
 * lane is one thread that sends its records, in the order they came, into {@code direct:record}. Decision state
 * is per camera, so a camera's records stay on one lane and give the same visits, alerts and ids as on one
 * thread. The Kinesis source needs none of this: KCL already processes each shard (one camera) on its own thread.
 *
 * <p>Records are handed to a lane in batches (up to {@value #BATCH}; a lane that has nothing queued gets what
 * is there at once), so the feeder and the lanes wake each other once per batch, not once per record: handing
 * over single records through a queue route cost a thread wake-up, an exchange copy and a route of its own per
 * record, and two lanes decided no faster than one thread (BENCHMARKS.md, issue 15).
 */
public final class DecisionLanes implements AutoCloseable {

    /** The most records handed to a lane at once. */
    public static final int BATCH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLanes.class);
    private static final List<String> STOP = List.of();

    private final Lane[] lanes;
    private final AtomicLong decided = new AtomicLong();
    private volatile Thread waiter;
    private long submitted;

    /** One lane: its thread, its queue of batches, the batch the feeder is filling. */
    private final class Lane implements Runnable {
        final BlockingQueue<List<String>> queue;
        final ProducerTemplate template;
        final Endpoint record;
        final Thread thread;
        List<String> filling = new ArrayList<>(BATCH);

        Lane(CamelContext context, int index, int batches) {
            this.queue = new ArrayBlockingQueue<>(batches);
            this.template = context.createProducerTemplate();
            this.record = context.getEndpoint("direct:record");
            this.thread = new Thread(this, "vigil-decide-lane-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                for (List<String> batch = queue.take(); batch != STOP; batch = queue.take()) {
                    for (String r : batch) {
                        try {
                            template.sendBody(record, r); // the routes dead-letter a bad record themselves
                        } catch (RuntimeException e) {
                            LOG.warn("decision lane {}: a record was not decided: {}", thread.getName(), e.getMessage());
                        }
                    }
                    decided.addAndGet(batch.size());
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Hands the batch being filled to the lane (blocks while the lane's queue is full). */
        void handOver() {
            if (filling.isEmpty()) {
                return;
            }
            try {
                queue.put(filling);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while queueing records", e);
            }
            filling = new ArrayList<>(BATCH);
        }
    }

    private DecisionLanes(CamelContext context, int lanes, int capacity) {
        this.lanes = new Lane[lanes];
        int batches = Math.max(2, capacity / BATCH);
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane(context, i, batches);
        }
    }

    /**
     * Starts {@code lanes} lane threads ({@code vigil-decide-lane-N}), each queueing about {@code capacity}
     * records; a full lane blocks the feeder.
     */
    public static DecisionLanes start(CamelContext context, int lanes, int capacity) {
        DecisionLanes d = new DecisionLanes(context, lanes, capacity);
        for (Lane lane : d.lanes) {
            lane.thread.start();
        }
        return d;
    }

    /** Queues one raw record on its camera's lane (blocks while that lane is full). One feeder thread only. */
    public void submit(String record) {
        Lane lane = lanes[lane(record, lanes.length)];
        lane.filling.add(record);
        if (lane.filling.size() >= BATCH || lane.queue.isEmpty()) { // a lane with nothing to do gets it now
            lane.handOver();
        }
        submitted++;
    }

    /** Waits until every record submitted so far is done (decided, its alerts handed over, or dead-lettered). */
    public boolean awaitDone(Duration timeout) {
        for (Lane lane : lanes) {
            lane.handOver();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        waiter = Thread.currentThread();
        try {
            while (decided.get() < submitted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, Math.min(left, 10_000_000L));
            }
            return true;
        } finally {
            waiter = null;
        }
    }

    public long submitted() {
        return submitted;
    }

    /** CPU time the lane threads used so far, in nanoseconds (-1 where the JVM does not measure it). */
    public long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Lane lane : lanes) {
            long t = threads.getThreadCpuTime(lane.thread.getId());
            if (t < 0) {
                return -1;
            }
            sum += t;
        }
        return sum;
    }

    /**
     * The partition key of a raw record without parsing it: the text of its first {@code "StreamArn"} value (the
     * camera's stream). Only used to pick a lane, so it only has to be the same for the same camera; a record
     * without one (malformed: it will be dead-lettered) goes to lane 0's key "".
     */
    public static String cameraKey(String record) {
        int[] at = keyRange(record);
        return record.substring(at[0], at[1]);
    }

    /** The lane (0 to lanes - 1) of a raw record's camera: what {@link #submit} picks, without parsing the record. */
    public static int lane(String record, int lanes) {
        return laneOf(cameraHash(record), lanes);
    }

    /**
     * The lane of a camera key's hash: the top bits of the hash times 2^32 / golden ratio (Fibonacci hashing).
     * Not {@code hash % lanes}: a String hash's lowest bit is the parity of its characters' sum, so with two lanes
     * every camera whose name has the same character sum parity went to one lane (all four cameras of each of the
     * benchmark's sites did, and one lane idled while the other worked through a site's records: BENCHMARKS.md,
     * "decision rate, session 7").
     */
    static int laneOf(int hash, int lanes) {
        return (int) ((((hash * 0x9E3779B9L) & 0xFFFFFFFFL) * lanes) >>> 32);
    }

    /** {@code cameraKey(record).hashCode()} without copying the key out of the record. */
    static int cameraHash(String record) {
        int[] at = keyRange(record);
        int h = 0;
        for (int i = at[0]; i < at[1]; i++) {
            h = 31 * h + record.charAt(i);
        }
        return h;
    }

    private static int[] keyRange(String record) {
        int at = record.indexOf("\"StreamArn\"");
        if (at < 0) {
            return new int[] {0, 0};
        }
        int open = record.indexOf('"', record.indexOf(':', at + 11) + 1);
        int close = open < 0 ? -1 : record.indexOf('"', open + 1);
        return close < 0 ? new int[] {0, 0} : new int[] {open + 1, close};
    }

    /** Stops the lanes once they have decided what they were given (call {@link #awaitDone} first). */
    @Override
    public void close() throws Exception {
        for (Lane lane : lanes) {
            lane.handOver();
            lane.queue.put(STOP);
        }
        for (Lane lane : lanes) {
            lane.thread.join(Duration.ofSeconds(30).toMillis());
            lane.template.close();
        }
    }
}
