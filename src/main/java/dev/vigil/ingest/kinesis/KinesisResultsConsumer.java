package dev.vigil.ingest.kinesis;

import dev.vigil.aws.AwsClients;
import dev.vigil.config.DurationText;
import dev.vigil.config.Household;
import dev.vigil.decide.Decider;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.processor.FormerStreamsLeasesDeletionStrategy;
import software.amazon.kinesis.processor.MultiStreamTracker;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * Runs a KCL scheduler over every camera's results stream (multi-stream mode, polling retrieval, no
 * CloudWatch metrics). Each shard gets a {@link ShardHandler} that hands records to the route one at a time
 * and checkpoints behind the decision state. Stopping the route shuts KCL down gracefully, which
 * checkpoints what is safe and releases the leases for other instances.
 */
public class KinesisResultsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisResultsConsumer.class);

    private final KinesisResultsEndpoint endpoint;
    private Scheduler scheduler;
    private volatile boolean draining;
    private KinesisSourceHealth health;

    public KinesisResultsConsumer(KinesisResultsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        var registry = getEndpoint().getCamelContext().getRegistry();
        AwsClients aws = registry.lookupByNameAndType("awsClients", AwsClients.class);
        Household household = registry.lookupByNameAndType("household", Household.class);
        List<ResultsStreams.Found> streams = ResultsStreams.check(aws.kinesis(), aws.region(), household);
        Map<String, String> cameraByStream = streams.stream()
                .collect(Collectors.toMap(ResultsStreams.Found::name, ResultsStreams.Found::cameraId));
        Decider decider = registry.lookupByNameAndType("decider", Decider.class);
        // what the source knows at start: over how many shards each camera's frames come (docs/deciding.md)
        streams.forEach(s -> decider.shards(s.cameraId(), s.openShards()));
        ShardHandler.Context context = new ShardHandler.Context(this, decider,
                registry.lookupByNameAndType("metricsRegistry", MeterRegistry.class), cameraByStream,
                DurationText.parse(endpoint.getMaxReplay()), health = health(registry));

        InitialPositionInStreamExtended position = InitialPositionInStreamExtended.newInitialPosition(
                InitialPositionInStream.valueOf(endpoint.getInitialPosition()));
        List<StreamConfig> configs = streams.stream().map(s -> new StreamConfig(
                StreamIdentifier.multiStreamInstance(s.arn(), s.creationEpochSeconds()), position)).toList();
        MultiStreamTracker tracker = tracker(configs);
        ShardRecordProcessorFactory factory = new ShardRecordProcessorFactory() {
            @Override
            public ShardRecordProcessor shardRecordProcessor() {
                throw new IllegalStateException("multi-stream mode names the stream");
            }

            @Override
            public ShardRecordProcessor shardRecordProcessor(StreamIdentifier stream) {
                return new ShardHandler(context, stream.streamName());
            }
        };
        ConfigsBuilder kcl = new ConfigsBuilder(tracker, endpoint.getApplication(), aws.kinesisAsync(),
                aws.dynamoAsync(), aws.cloudWatch(), workerId(), factory);
        scheduler = KclSettings.scheduler(kcl, aws, endpoint, context.health());
        Thread thread = new Thread(scheduler, "vigil-kinesis-scheduler");
        thread.setDaemon(true);
        thread.start();
        LOG.info("kinesis source: consuming {} results stream(s) as KCL application {}", configs.size(),
                endpoint.getApplication());
    }

    /** True once stopping has begun: shard handlers take no further record (the one in hand is finished). */
    boolean draining() {
        return draining;
    }

    /** The readiness check bound by the observability configuration, or a detached one (tests, tools). */
    private static KinesisSourceHealth health(org.apache.camel.spi.Registry registry) {
        KinesisSourceHealth bound = registry.lookupByNameAndType(KinesisSourceHealth.NAME, KinesisSourceHealth.class);
        return bound != null ? bound : new KinesisSourceHealth(java.time.Duration.ofMinutes(1), java.time.Clock.systemUTC());
    }

    @Override
    protected void doStop() throws Exception {
        draining = true;
        if (scheduler != null) {
            try {
                // the shutdown timeout (vigil.shutdown.grace) bounds the whole stop; KCL gets what is left of it
                long grace = getEndpoint().getCamelContext().getShutdownStrategy().getTimeout();
                awaitShutdown(scheduler.startGracefulShutdown(), TimeUnit.SECONDS.toMillis(Math.max(5, grace)));
            } catch (Exception e) {
                LOG.warn("kinesis source: graceful shutdown did not finish ({}); records since the last checkpoint "
                        + "will be read again at the next start", e.toString());
                dev.vigil.operate.GracefulExit.incomplete("the Kinesis source's graceful shutdown did not finish (" + e + ")");
                scheduler.shutdown();
            }
            LOG.info("kinesis source: stopped");
        }
        super.doStop();
    }

    /**
     * Waits for KCL's graceful shutdown. Its future completes about 10 s after KCL reports SHUT_DOWN (every
     * shard handler done and checkpointed, leases released), so that state ends the wait too.
     */
    private void awaitShutdown(java.util.concurrent.Future<Boolean> done, long maxMs) throws Exception {
        long deadline = System.currentTimeMillis() + maxMs;
        while (!done.isDone() && !health.shutDown()) {
            if (System.currentTimeMillis() > deadline) {
                throw new java.util.concurrent.TimeoutException("KCL still stopping after " + maxMs + " ms");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stable across restarts (the host name by default), so a restarted instance takes its leases back at once
     * instead of waiting for them to expire. Instances sharing a host need distinct ids.
     */
    private String workerId() throws Exception {
        return endpoint.getWorkerId().isBlank() ? InetAddress.getLocalHost().getHostName() : endpoint.getWorkerId();
    }

    /**
     * KCL's tracker of the results streams: these streams; the leases of a stream no longer listed are not deleted.
     * The tests' lease fixture builds its tracker here too, so both see the same streams the same way.
     */
    public static MultiStreamTracker tracker(List<StreamConfig> configs) {
        return new MultiStreamTracker() {
            @Override
            public List<StreamConfig> streamConfigList() {
                return configs;
            }

            @Override
            public FormerStreamsLeasesDeletionStrategy formerStreamsLeasesDeletionStrategy() {
                return new FormerStreamsLeasesDeletionStrategy.NoLeaseDeletionStrategy();
            }
        };
    }
}
