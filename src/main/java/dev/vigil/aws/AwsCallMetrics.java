package dev.vigil.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;

/**
 * The one place AWS throttling is counted: an SDK {@link MetricPublisher} on every client {@link AwsClients}
 * builds (so also KCL's Kinesis and DynamoDB clients). The SDK reports each API call with one child per
 * attempt; an attempt the SDK classified as throttled (error type {@code Throttling}: HTTP 429 or a throttling
 * error code such as {@code Throttling}, {@code ThrottlingException}, {@code ProvisionedThroughputExceededException})
 * counts in {@code vigil_aws_throttled_total{service,operation}}, and every retry the SDK made in
 * {@code vigil_aws_retries_total{service,operation}}. Counted per attempt, whether the call finally
 * succeeded or not, so the figures match what the service refused.
 * <p>Kinesis also throttles with {@code LimitExceededException} ("Rate exceeded for stream ...": ListShards,
 * DescribeStreamSummary and the other per-stream and per-account rates), which is not one of the SDK's throttling
 * codes: the SDK neither retries it (KCL backs off on it itself) nor reports it as throttled. As an
 * {@link ExecutionInterceptor} on the same clients this counts each call Kinesis refused with it in the same
 * counter: one call is one attempt, since the SDK does not retry it.
 */
public final class AwsCallMetrics implements MetricPublisher, ExecutionInterceptor {

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
            throttled(service, operation).increment(throttled);
        }
        int retries = call.metricValues(CoreMetric.RETRY_COUNT).stream().mapToInt(Integer::intValue).sum();
        if (retries > 0) {
            metrics.counter("vigil.aws.retries", "service", service, "operation", operation).increment(retries);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution failed, ExecutionAttributes attributes) {
        if (failed.exception() instanceof LimitExceededException limit && !limit.isThrottlingException()) {
            throttled(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                    attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)).increment();
        }
    }

    /** vigil_aws_throttled_total of one operation, whichever way the refusal was seen. */
    private Counter throttled(String service, String operation) {
        return metrics.counter("vigil.aws.throttled", "service", service, "operation", operation);
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
