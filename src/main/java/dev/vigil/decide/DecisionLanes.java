package dev.vigil.decide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Decides the records of one feeder (a replay, the benchmark) on several threads, in order per camera: each
 * record goes to one of {@code lanes} SEDA queues chosen by its camera (the results stream in the record), and
 * each queue has one consumer that sends it into {@code direct:record}. Decision state is per camera, so a
 * camera's records stay on one lane and give the same visits, alerts and ids as on one thread. The Kinesis
 * source needs none of this: KCL already processes each shard (one camera) on its own thread.
 */
public final class DecisionLanes implements AutoCloseable {

    private final ProducerTemplate template;
    private final List<Endpoint> queues = new ArrayList<>();
    private final AtomicLong decided = new AtomicLong();
    private long submitted;

    private DecisionLanes(CamelContext context) {
        this.template = context.createProducerTemplate();
    }

    /** Adds {@code lanes} queue routes ({@code decideLane-N}) of {@code capacity} records each; a full queue blocks the feeder. */
    public static DecisionLanes start(CamelContext context, int lanes, int capacity) throws Exception {
        DecisionLanes d = new DecisionLanes(context);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < lanes; i++) {
                    String queue = "seda:decideLane-" + i + "?size=" + capacity + "&blockWhenFull=true";
                    d.queues.add(context.getEndpoint(queue));
                    from(queue).routeId("decideLane-" + i)
                            .process(e -> e.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                                @Override
                                public void onDone(Exchange exchange) {
                                    d.decided.incrementAndGet();
                                }
                            }))
                            .to("direct:record");
                }
            }
        });
        return d;
    }

    /** Queues one raw record on its camera's lane (blocks while that lane is full). */
    public void submit(String record) {
        int lane = Math.floorMod(cameraKey(record).hashCode(), queues.size());
        template.sendBody(queues.get(lane), record);
        submitted++;
    }

    /** Waits until every record submitted so far is done (decided, its alerts handed over, or dead-lettered). */
    public boolean awaitDone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (decided.get() < submitted) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(50_000);
        }
        return true;
    }

    public long submitted() {
        return submitted;
    }

    /**
     * The partition key of a raw record without parsing it: the text of its first {@code "StreamArn"} value (the
     * camera's stream). Only used to pick a lane, so it only has to be the same for the same camera; a record
     * without one (malformed: it will be dead-lettered) goes to lane 0's key "".
     */
    public static String cameraKey(String record) {
        int at = record.indexOf("\"StreamArn\"");
        if (at < 0) {
            return "";
        }
        int open = record.indexOf('"', record.indexOf(':', at + 11) + 1);
        int close = open < 0 ? -1 : record.indexOf('"', open + 1);
        return close < 0 ? "" : record.substring(open + 1, close);
    }

    @Override
    public void close() throws Exception {
        template.close();
    }
}
