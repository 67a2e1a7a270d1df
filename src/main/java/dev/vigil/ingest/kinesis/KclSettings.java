package dev.vigil.ingest.kinesis;

import dev.vigil.aws.AwsClients;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/** The KCL settings Vigil runs with: polling retrieval, no CloudWatch metrics, lease timing from the endpoint. */
final class KclSettings {

    private KclSettings() {
    }

    static Scheduler scheduler(ConfigsBuilder kcl, AwsClients aws, KinesisResultsEndpoint endpoint) {
        PollingConfig polling = new PollingConfig(aws.kinesisAsync())
                .maxRecords(endpoint.getMaxRecords())
                .idleTimeBetweenReadsInMillis(endpoint.getPollIntervalMs());
        return new Scheduler(
                kcl.checkpointConfig(),
                kcl.coordinatorConfig(),
                kcl.leaseManagementConfig().failoverTimeMillis(endpoint.getFailoverTimeMs()),
                kcl.lifecycleConfig(),
                kcl.metricsConfig().metricsLevel(MetricsLevel.NONE),
                kcl.processorConfig(),
                kcl.retrievalConfig().retrievalSpecificConfig(polling));
    }
}
