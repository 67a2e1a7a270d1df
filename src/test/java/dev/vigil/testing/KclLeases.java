package dev.vigil.testing;

import dev.vigil.ingest.kinesis.KinesisResultsConsumer;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.arns.Arn;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.DeletedStreamListProvider;
import software.amazon.kinesis.leases.LeaseCoordinator;
import software.amazon.kinesis.leases.LeaseManagementFactory;
import software.amazon.kinesis.leases.dynamodb.DynamoDBMultiStreamLeaseSerializer;
import software.amazon.kinesis.lifecycle.TaskResult;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.MultiStreamTracker;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * KCL's first start, done ahead for a test: the lease table of a KCL application and the leases of its results
 * streams, created with KCL 2.6's own classes and calls, the ones {@code Scheduler.initialize} makes (the lease
 * coordinator's {@code initialize}, then one shard sync task per stream, as its {@code syncShardsOnce}). The Vigil a
 * test starts next then finds its leases, as on every start after the first, instead of waiting KCL's random 1-30 s
 * on an empty lease table ({@code Scheduler.shouldInitiateLeaseSync}: in 2.6 neither the wait nor its bounds can be
 * configured). Leases start at TRIM_HORIZON, Vigil's default initial position, in multi-stream mode (the lease key
 * names the stream ARN and creation time, as {@code KinesisResultsConsumer} declares the streams).
 * <p>KCL's own first start stays covered: KinesisScaleOutTest starts two instances on an empty lease table.
 */
public final class KclLeases {

    private KclLeases() {
    }

    /** The leases of {@code streams} (names) in the lease table of KCL application {@code application}. */
    public static void create(String endpoint, String application, String... streams) throws Exception {
        Streams.useEmulatorCredentials();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        URI uri = URI.create(endpoint);
        Region region = Region.of(Moto.REGION);
        try (var http = NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1).build();
             KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(uri).region(region)
                     .credentialsProvider(credentials).httpClient(http).build();
             DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().endpointOverride(uri).region(region)
                     .credentialsProvider(credentials).httpClient(http).build();
             CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().endpointOverride(uri).region(region)
                     .credentialsProvider(credentials).httpClient(http).build()) {
            InitialPositionInStreamExtended position =
                    InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON);
            List<StreamConfig> configs = new java.util.ArrayList<>();
            for (String name : streams) {
                StreamDescriptionSummary s = kinesis.describeStreamSummary(b -> b.streamName(name)).get()
                        .streamDescriptionSummary();
                configs.add(new StreamConfig(StreamIdentifier.multiStreamInstance(Arn.fromString(s.streamARN()),
                        s.streamCreationTimestamp().getEpochSecond()), position));
            }
            MultiStreamTracker tracker = KinesisResultsConsumer.tracker(configs);
            ShardRecordProcessorFactory none = () -> {
                throw new IllegalStateException("leases only: no records are processed");
            };
            ConfigsBuilder kcl = new ConfigsBuilder(tracker, application, kinesis, dynamo, cloudWatch,
                    "kcl-leases-fixture", none);
            // no sleep after each stream's sync (KCL's default 60 s; Vigil sets the same, KclSettings)
            LeaseManagementFactory leases = kcl.leaseManagementConfig().shardSyncIntervalMillis(0)
                    .leaseManagementFactory(new DynamoDBMultiStreamLeaseSerializer(), true);
            NullMetricsFactory metrics = new NullMetricsFactory();
            LeaseCoordinator coordinator = leases.createLeaseCoordinator(metrics);
            coordinator.initialize(); // creates the lease table and waits until it is ACTIVE
            for (StreamConfig stream : configs) {
                TaskResult r = leases.createShardSyncTaskManager(metrics, stream, new DeletedStreamListProvider())
                        .callShardSyncTask();
                if (r.getException() != null) {
                    throw r.getException();
                }
            }
            if (coordinator.leaseRefresher().listLeases().isEmpty()) {
                throw new IllegalStateException("no lease created for " + List.of(streams));
            }
        }
    }
}
