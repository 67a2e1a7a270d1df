package dev.vigil.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.testing.Streams;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * vigil_aws_throttled_total and vigil_aws_retries_total of the clients {@link AwsClients} builds, against a local
 * server answering every Kinesis call (AWS JSON protocol) with the error its operation is given: Kinesis's two ways
 * of throttling, ProvisionedThroughputExceededException (the SDK retries and classifies it) and LimitExceededException
 * (it does neither), count alike; other refusals do not count.
 */
class AwsCallMetricsTest {

    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer kinesis;
    private final MeterRegistry metrics = new SimpleMeterRegistry();
    private AwsClients aws;

    @BeforeEach
    void start() throws Exception {
        Streams.useEmulatorCredentials();
        kinesis = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        kinesis.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                requests.incrementAndGet();
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                String type = errors.get(target.substring(target.indexOf('.') + 1));
                byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"Rate exceeded for stream s under account "
                        + "123456789012.\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
                exchange.sendResponseHeaders(400, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        kinesis.start();
        aws = new AwsClients("us-east-1", "http://127.0.0.1:" + kinesis.getAddress().getPort()).countingIn(metrics)
                .retrying(new AwsClients.Retry(3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    @AfterEach
    void stop() {
        aws.close();
        kinesis.stop(0);
    }

    @Test
    void kinesisLimitExceededCountsAsThrottledOncePerRefusedCallOnSyncAndAsyncClients() {
        errors.put("ListShards", "LimitExceededException");
        KinesisClient sync = aws.kinesis();
        assertThrows(LimitExceededException.class, () -> sync.listShards(b -> b.streamName("s")));
        assertThrows(LimitExceededException.class, () -> sync.listShards(b -> b.streamName("s")));
        KinesisAsyncClient async = aws.kinesisAsync(); // KCL's client
        Exception e = assertThrows(Exception.class, () -> async.listShards(b -> b.streamName("s")).join());
        assertEquals(LimitExceededException.class, e.getCause().getClass());

        assertEquals(3, requests.get(), "the SDK does not retry it (KCL backs off on it itself)");
        assertEquals(3.0, count("vigil.aws.throttled", "ListShards"), "each refused call counted once");
        assertEquals(0.0, count("vigil.aws.retries", "ListShards"));
    }

    @Test
    void kinesisProvisionedThroughputExceededCountsEachAttemptOnce() {
        errors.put("GetRecords", "ProvisionedThroughputExceededException");
        assertThrows(ProvisionedThroughputExceededException.class,
                () -> aws.kinesis().getRecords(b -> b.shardIterator("i")));
        assertEquals(3, requests.get(), "the SDK's 3 attempts");
        assertEquals(3.0, count("vigil.aws.throttled", "GetRecords"), "each attempt counted once, not twice");
        assertEquals(2.0, count("vigil.aws.retries", "GetRecords"));
    }

    @Test
    void otherKinesisRefusalsAreNotThrottling() {
        errors.put("DescribeStreamSummary", "ResourceNotFoundException");
        assertThrows(ResourceNotFoundException.class, () -> aws.kinesis().describeStreamSummary(b -> b.streamName("s")));
        assertEquals(0.0, count("vigil.aws.throttled", "DescribeStreamSummary"));
    }

    private double count(String counter, String operation) {
        return metrics.find(counter).tag("service", "Kinesis").tag("operation", operation).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
