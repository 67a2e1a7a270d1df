package dev.vigil.aws;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * The one place AWS throttling is counted: an SDK {@link MetricPublisher} on every client {@link AwsClients}
 * builds (so also KCL's Kinesis and DynamoDB clients). The SDK reports each API call with one child per
 * attempt; an attempt the SDK classified as throttled (error type {@code Throttling}: HTTP 429 or a throttling
 * error code such as {@code Throttling}, {@code ThrottlingException}, {@code ProvisionedThroughputExceededException})
 * counts in {@code vigil_aws_throttled_total{service,operation}}, and every retry the SDK made in
 * {@code vigil_aws_retries_total{service,operation}}. Counted per attempt, whether the call finally
 * succeeded or not, so the figures match what the service refused.
 */
public final class AwsCallMetrics implements MetricPublisher {

    /** The SDK's error type of a throttled attempt (SdkErrorType.THROTTLING). */
    static final String THROTTLING = "Throttling";

    private final MeterRegistry metrics;

    public AwsCallMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    public void publish(MetricCollection call) {
        String service = first(call, CoreMetric.SERVICE_ID, "unknown");
        String operation = first(call, CoreMetric.OPERATION_NAME, "unknown");
        long throttled = call.childrenWithName("ApiCallAttempt")
                .filter(attempt -> attempt.metricValues(CoreMetric.ERROR_TYPE).contains(THROTTLING)).count();
        if (throttled > 0) {
            metrics.counter("vigil.aws.throttled", "service", service, "operation", operation).increment(throttled);
        }
        int retries = call.metricValues(CoreMetric.RETRY_COUNT).stream().mapToInt(Integer::intValue).sum();
        if (retries > 0) {
            metrics.counter("vigil.aws.retries", "service", service, "operation", operation).increment(retries);
        }
    }

    private static String first(MetricCollection call, software.amazon.awssdk.metrics.SdkMetric<String> metric,
                                String otherwise) {
        return call.metricValues(metric).stream().findFirst().orElse(otherwise);
    }

    @Override
    public void close() {
        // the registry belongs to the runtime
    }
}
