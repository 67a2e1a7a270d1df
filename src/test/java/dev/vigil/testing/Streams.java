package dev.vigil.testing;

import dev.vigil.config.Household;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Kinesis Data Streams in the emulator, written with the AWS SDK as a Rekognition stream processor would:
 * random partition keys, PutRecords batches.
 */
public final class Streams implements AutoCloseable {

    /** Dummy credentials for the emulator; set as system properties so every SDK client in the JVM finds them. */
    public static void useEmulatorCredentials() {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.cborEnabled", "false");
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    /** The example household's cameras (Kinesis Video stream names); side-gate-cam has no camera there. */
    public static final List<String> SAMPLE_CAMERAS = List.of("front-door-cam", "driveway-cam", "back-garden-cam");
    private static final Pattern STREAM = Pattern.compile("stream/([a-zA-Z0-9_.-]+)/");

    private final KinesisClient kinesis;

    public Streams(String endpoint) {
        useEmulatorCredentials();
        kinesis = KinesisClient.builder().endpointOverride(URI.create(endpoint)).region(Region.of(Moto.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(ApacheHttpClient.builder().build()).build();
    }

    public void create(String name, int shards) throws InterruptedException {
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        await(Duration.ofSeconds(30), () -> kinesis.describeStreamSummary(b -> b.streamName(name))
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE, "stream " + name + " ACTIVE");
    }

    /**
     * Puts the payloads in order, in batches of up to 500, each with a random partition key; returns their sequence
     * numbers, in the same order.
     */
    public List<String> put(String stream, List<String> payloads) {
        List<String> sequenceNumbers = new ArrayList<>(payloads.size());
        for (int from = 0; from < payloads.size(); from += 500) {
            List<PutRecordsRequestEntry> batch = new ArrayList<>();
            for (String p : payloads.subList(from, Math.min(payloads.size(), from + 500))) {
                batch.add(PutRecordsRequestEntry.builder().data(SdkBytes.fromString(p, StandardCharsets.UTF_8))
                        .partitionKey(java.util.UUID.randomUUID().toString()).build());
            }
            PutRecordsResponse r = kinesis.putRecords(b -> b.streamName(stream).records(batch));
            if (r.failedRecordCount() != null && r.failedRecordCount() > 0) {
                throw new IllegalStateException(r.failedRecordCount() + " records not put");
            }
            r.records().forEach(e -> sequenceNumbers.add(e.sequenceNumber()));
        }
        return sequenceNumbers;
    }

    /** The sample day's records of the example household's cameras, in order. */
    public static List<String> sampleDayOfCameras() {
        return Fixtures.lines(Fixtures.SCENARIO).stream().filter(r -> SAMPLE_CAMERAS.contains(camera(r))).toList();
    }

    /** The sample cameras' results streams on the emulator, holding the sample day: what a live run reads. */
    public static Streams withSampleDay(Moto moto) throws InterruptedException {
        Streams streams = new Streams(moto.endpoint());
        streams.createSampleResultsStreams();
        sampleDayOfCameras().forEach(streams::putToResultsStream);
        return streams;
    }

    /** Each sample camera's results stream (default name AmazonRekognition-<kvsStream>), one shard. */
    public void createSampleResultsStreams() throws InterruptedException {
        for (String stream : SAMPLE_RESULTS_STREAMS) {
            create(stream, 1);
        }
    }

    /** The sample cameras' results streams: AmazonRekognition-<kvsStream>, the default name. */
    public static final String[] SAMPLE_RESULTS_STREAMS =
            SAMPLE_CAMERAS.stream().map(Household.Camera::defaultResultsStream).toArray(String[]::new);

    /** Puts a record into its camera's results stream, as that camera's stream processor would. */
    public void putToResultsStream(String record) {
        put(Household.Camera.defaultResultsStream(camera(record)), record);
    }

    private static String camera(String record) {
        Matcher m = STREAM.matcher(record);
        return m.find() ? m.group(1) : "";
    }

    /** One record, one partition key, as a pause-and-resume producer would. */
    public void put(String stream, String payload) {
        put(stream, List.of(payload));
    }

    /** Waits until the condition holds (Awaitility, polling every 50 ms); fails naming what it waited for. */
    public static void await(Duration timeout, java.util.function.BooleanSupplier condition, String what) {
        try {
            org.awaitility.Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what, e);
        }
    }

    /** The condition holds now and for the whole period (nothing more arrives): Awaitility's during(). */
    public static void holds(Duration period, java.util.function.BooleanSupplier condition, String what) {
        try {
            org.awaitility.Awaitility.await(what).during(period).atMost(period.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("did not hold for " + period.toMillis() + " ms: " + what, e);
        }
    }

    @Override
    public void close() {
        kinesis.close();
    }
}
