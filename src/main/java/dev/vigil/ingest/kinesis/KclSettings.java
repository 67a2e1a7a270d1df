package dev.vigil.ingest.kinesis;

import dev.vigil.aws.AwsClients;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.retrieval.polling.PollingConfig;
import software.amazon.kinesis.retrieval.polling.SimpleRecordsFetcherFactory;

/**
 * The KCL 2.6 settings Vigil runs with, measured against the emulator (see the closing note of issue #3):
 * polling retrieval every {@code pollIntervalMs}, at most 3 fetched batches waiting per shard (back-pressure:
 * a slow route stops the fetching, it does not queue without bound), no CloudWatch metrics (Vigil has its
 * own), and no sleeping between the start-up shard syncs of the streams (KCL's default sleeps 60 s after
 * each stream, which made the first record wait minutes with several cameras), and a joining instance taking up
 * to {@code maxLeasesToSteal} leases per take cycle rather than KCL's one (issue 15: 200 streams).
 */
final class KclSettings {

    /** Fetched batches a shard may hold while the route is busy with an earlier one. */
    static final int MAX_PENDING_BATCHES = 3;

    private KclSettings() {
    }

    static Scheduler scheduler(ConfigsBuilder kcl, AwsClients aws, KinesisResultsEndpoint endpoint,
                               KinesisSourceHealth health) {
        SimpleRecordsFetcherFactory fetcher = new SimpleRecordsFetcherFactory();
        fetcher.maxPendingProcessRecordsInput(MAX_PENDING_BATCHES);
        PollingConfig polling = new PollingConfig(aws.kinesisAsync()).maxRecords(endpoint.getMaxRecords());
        polling.recordsFetcherFactory(fetcher); // before the idle time, which it would otherwise reset
        polling.idleTimeBetweenReadsInMillis(endpoint.getPollIntervalMs());
        return new Scheduler(
                kcl.checkpointConfig(),
                kcl.coordinatorConfig().shardConsumerDispatchPollIntervalMillis(100)
                        .skipShardSyncAtWorkerInitializationIfLeasesExist(true).workerStateChangeListener(health),
                kcl.leaseManagementConfig().failoverTimeMillis(endpoint.getFailoverTimeMs()).shardSyncIntervalMillis(0)
                        .maxLeasesToStealAtOneTime(endpoint.getMaxLeasesToSteal()),
                kcl.lifecycleConfig(),
                kcl.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
                kcl.processorConfig().callProcessRecordsEvenForEmptyRecordList(true), // read health (KinesisSourceHealth)
                kcl.retrievalConfig().retrievalSpecificConfig(polling));
    }
}
