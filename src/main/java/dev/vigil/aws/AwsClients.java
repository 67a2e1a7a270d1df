package dev.vigil.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The AWS SDK clients Vigil uses, built once from {@code vigil.aws.*}: the region, an optional endpoint
 * override (an emulator such as moto on 127.0.0.1), and the SDK's default credential chain (environment,
 * profile, container or instance role). Kinesis and DynamoDB talk HTTP/1.1 so emulators work too.
 */
public final class AwsClients implements AutoCloseable {

    /** The service names {@code vigil.aws.endpoints.<service>} may name. */
    public static final java.util.List<String> SERVICES = java.util.List.of("kinesis", "dynamodb", "cloudwatch", "sns",
            "ses", "rekognition", "kinesisvideo", "iam", "sts", "s3");

    private final Region region;
    private final Optional<URI> endpoint;
    private final AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    private KinesisAsyncClient kinesisAsync;
    private KinesisClient kinesis;
    private DynamoDbAsyncClient dynamoAsync;
    private DynamoDbClient dynamo;
    private CloudWatchAsyncClient cloudWatch;
    private SnsClient sns;
    private SesClient ses;
    private RekognitionClient rekognition;
    private KinesisVideoClient kinesisVideo;
    private IamClient iam;

    private final java.util.Map<String, URI> serviceEndpoints;
    private Retry retry = Retry.SDK_DEFAULTS;
    private AwsCallMetrics callMetrics;

    /**
     * The SDK's retry strategy, tuned: {@code vigil.aws.retry.*}; a null field keeps the SDK's (and the service's)
     * default. Throttled attempts back off from {@code throttlingBaseDelay}, other retryable failures from
     * {@code baseDelay}, both doubling with jitter up to {@code maxBackoff}.
     */
    public record Retry(Integer maxAttempts, Duration baseDelay, Duration throttlingBaseDelay, Duration maxBackoff) {
        public static final Retry SDK_DEFAULTS = new Retry(null, null, null, null);
        /** The SDK's standard-mode schedule, for the parts of it a setting leaves alone. */
        static final Duration SDK_BASE_DELAY = Duration.ofMillis(100);
        static final Duration SDK_THROTTLING_BASE_DELAY = Duration.ofSeconds(1);
        static final Duration SDK_MAX_BACKOFF = Duration.ofSeconds(20);

        private static Duration or(Duration set, Duration otherwise) {
            return set != null ? set : otherwise;
        }

        void configure(RetryStrategy.Builder<?, ?> b) {
            if (maxAttempts != null) {
                b.maxAttempts(maxAttempts);
            }
            if (baseDelay != null || maxBackoff != null) {
                b.backoffStrategy(BackoffStrategy.exponentialDelay(or(baseDelay, SDK_BASE_DELAY), or(maxBackoff, SDK_MAX_BACKOFF)));
            }
            if (throttlingBaseDelay != null || maxBackoff != null) {
                b.throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(or(throttlingBaseDelay, SDK_THROTTLING_BASE_DELAY),
                        or(maxBackoff, SDK_MAX_BACKOFF)));
            }
        }

        static Retry from(dev.vigil.config.Settings settings) {
            return new Retry(settings.optional("vigil.aws.retry.max-attempts").map(v -> settings.whole(
                    "vigil.aws.retry.max-attempts", 1, 100)).orElse(null),
                    duration(settings, "vigil.aws.retry.base-delay"), duration(settings, "vigil.aws.retry.throttling-base-delay"),
                    duration(settings, "vigil.aws.retry.max-backoff"));
        }

        private static Duration duration(dev.vigil.config.Settings settings, String key) {
            return settings.optional(key).map(v -> settings.positiveDuration(key)).orElse(null);
        }
    }

    public AwsClients(String region, String endpoint) {
        this(region, endpoint, java.util.Map.of());
    }

    /**
     * @param serviceEndpoints per-service endpoint overrides by service name (rekognition, kinesisvideo, ...),
     *                         from {@code vigil.aws.endpoints.<service>}; they win over {@code endpoint}
     */
    public AwsClients(String region, String endpoint, java.util.Map<String, String> serviceEndpoints) {
        this.region = Region.of(region);
        this.endpoint = endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint));
        this.serviceEndpoints = new java.util.HashMap<>();
        serviceEndpoints.forEach((service, url) -> {
            if (url != null && !url.isBlank()) {
                this.serviceEndpoints.put(service, URI.create(url));
            }
        });
    }

    /** {@link #from(dev.vigil.config.Settings)}, counting every client's throttled attempts and retries in metrics. */
    public static AwsClients from(dev.vigil.config.Settings settings, MeterRegistry metrics) {
        return from(settings).countingIn(metrics);
    }

    /** Counts throttled attempts and retries of the clients built from now on ({@link AwsCallMetrics}). */
    public AwsClients countingIn(MeterRegistry metrics) {
        callMetrics = new AwsCallMetrics(metrics);
        return this;
    }

    /** Retries with this schedule in the clients built from now on (tests: a compressed one). */
    public AwsClients retrying(Retry schedule) {
        retry = schedule;
        return this;
    }

    /** The clients of vigil.aws.region, with vigil.aws.endpoint and the per-service vigil.aws.endpoints.* overrides. */
    public static AwsClients from(dev.vigil.config.Settings settings) {
        java.util.Map<String, String> perService = new java.util.HashMap<>();
        for (String service : SERVICES) {
            settings.optional("vigil.aws.endpoints." + service).ifPresent(url -> perService.put(service, url));
        }
        AwsClients aws = new AwsClients(settings.text("vigil.aws.region"), settings.optional("vigil.aws.endpoint").orElse(""),
                perService);
        aws.retry = Retry.from(settings);
        return aws;
    }

    /** The endpoint override for one service, if any: its own, else the common one. */
    public Optional<URI> endpoint(String service) {
        return Optional.ofNullable(serviceEndpoints.get(service)).or(() -> endpoint);
    }

    public Region region() {
        return region;
    }

    public synchronized KinesisAsyncClient kinesisAsync() {
        if (kinesisAsync == null) {
            kinesisAsync = configure(KinesisAsyncClient.builder(), "kinesis").httpClient(async()).build();
        }
        return kinesisAsync;
    }

    public synchronized KinesisClient kinesis() {
        if (kinesis == null) {
            kinesis = configure(KinesisClient.builder(), "kinesis").httpClient(sync()).build();
        }
        return kinesis;
    }

    public synchronized DynamoDbAsyncClient dynamoAsync() {
        if (dynamoAsync == null) {
            dynamoAsync = configure(DynamoDbAsyncClient.builder(), "dynamodb").httpClient(async()).build();
        }
        return dynamoAsync;
    }

    public synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = configure(DynamoDbClient.builder(), "dynamodb").httpClient(sync()).build();
        }
        return dynamo;
    }

    public synchronized SnsClient sns() {
        if (sns == null) {
            sns = configure(SnsClient.builder(), "sns").httpClient(sync()).build();
        }
        return sns;
    }

    public synchronized SesClient ses() {
        if (ses == null) {
            ses = configure(SesClient.builder(), "ses").httpClient(sync()).build();
        }
        return ses;
    }

    public synchronized RekognitionClient rekognition() {
        if (rekognition == null) {
            rekognition = configure(RekognitionClient.builder(), "rekognition").httpClient(sync()).build();
        }
        return rekognition;
    }

    /** The Kinesis Video control plane (streams, GetDataEndpoint); media calls go to each stream's data endpoint. */
    public synchronized KinesisVideoClient kinesisVideo() {
        if (kinesisVideo == null) {
            kinesisVideo = configure(KinesisVideoClient.builder(), "kinesisvideo").httpClient(sync()).build();
        }
        return kinesisVideo;
    }

    public synchronized IamClient iam() {
        if (iam == null) {
            iam = configure(IamClient.builder(), "iam").httpClient(sync()).build();
        }
        return iam;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public synchronized CloudWatchAsyncClient cloudWatch() {
        if (cloudWatch == null) {
            cloudWatch = configure(CloudWatchAsyncClient.builder(), "cloudwatch").httpClient(async()).build();
        }
        return cloudWatch;
    }

    /**
     * Region, credentials, the endpoint override of {@code service}, the retry settings and the throttling count:
     * for clients built elsewhere too.
     */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service) {
        builder.region(region).credentialsProvider(credentials);
        Retry r = retry;
        AwsCallMetrics counted = callMetrics;
        builder.overrideConfiguration(o -> {
            o.retryStrategy(r::configure);
            if (counted != null) {
                o.addMetricPublisher(counted);
                o.addExecutionInterceptor(counted); // Kinesis's LimitExceededException, which the SDK does not classify
            }
        });
        endpoint(service).ifPresent(builder::endpointOverride);
        return builder;
    }

    private static software.amazon.awssdk.http.async.SdkAsyncHttpClient async() {
        return NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1).maxConcurrency(100)
                .connectionTimeout(Duration.ofSeconds(5)).build();
    }

    private static software.amazon.awssdk.http.SdkHttpClient sync() {
        return ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : new AutoCloseable[] {kinesisAsync, kinesis, dynamoAsync, dynamo, cloudWatch, sns, ses, rekognition, kinesisVideo, iam}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing on shutdown: nothing to do about it
                }
            }
        }
    }
}
