package dev.vigil.ingest.kinesis;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** Options of {@code kinesis-results:<application>}; set from {@code vigil.kinesis.*} in the route. */
public class KinesisResultsEndpoint extends DefaultEndpoint {

    private final String application;
    private String initialPosition = "TRIM_HORIZON";
    private int maxRecords = 100;
    private long pollIntervalMs = 200;
    private long failoverTimeMs = 10_000;
    private String maxReplay = "10m";
    private String workerId = "";
    private int maxLeasesToSteal = 25;

    public KinesisResultsEndpoint(String uri, KinesisResultsComponent component, String application) {
        super(uri, component);
        this.application = application;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("kinesis-results only consumes");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KinesisResultsConsumer consumer = new KinesisResultsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The KCL application name: also the name of its DynamoDB lease table. */
    public String getApplication() {
        return application;
    }

    /** Where a shard with no checkpoint starts: TRIM_HORIZON (oldest kept record) or LATEST. */
    public String getInitialPosition() {
        return initialPosition;
    }

    public void setInitialPosition(String initialPosition) {
        this.initialPosition = initialPosition;
    }

    /** Records per GetRecords call (the bound on what is held in memory per shard, with KCL's prefetch). */
    public int getMaxRecords() {
        return maxRecords;
    }

    public void setMaxRecords(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    /** Pause between GetRecords calls of a shard (Kinesis allows 5 per second per shard). */
    public long getPollIntervalMs() {
        return pollIntervalMs;
    }

    public void setPollIntervalMs(long pollIntervalMs) {
        this.pollIntervalMs = pollIntervalMs;
    }

    /** A lease not renewed for this long is taken over by another instance. */
    public long getFailoverTimeMs() {
        return failoverTimeMs;
    }

    public void setFailoverTimeMs(long failoverTimeMs) {
        this.failoverTimeMs = failoverTimeMs;
    }

    /** How far back a restart may replay to rebuild open visits and cooldowns (e.g. 10m). */
    public String getMaxReplay() {
        return maxReplay;
    }

    public void setMaxReplay(String maxReplay) {
        this.maxReplay = maxReplay;
    }

    /**
     * Leases a joining instance may take from a busier one per take cycle (KCL runs one every 2 x failover time).
     * KCL's own default of 1 left a second instance 100 cycles (about 33 min) from its half of 200 streams.
     */
    public int getMaxLeasesToSteal() {
        return maxLeasesToSteal;
    }

    public void setMaxLeasesToSteal(int maxLeasesToSteal) {
        this.maxLeasesToSteal = maxLeasesToSteal;
    }

    /** This instance's name in the lease table; empty: the host name. */
    public String getWorkerId() {
        return workerId;
    }

    public void setWorkerId(String workerId) {
        this.workerId = workerId;
    }
}
