package dev.vigil.ingest.kinesis;

import dev.vigil.aws.AwsProblems;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Household;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

/**
 * The results streams to consume, one per camera of the household, checked at start-up: a stream that does
 * not exist, missing credentials or a missing permission stops start-up with a message naming the stream
 * and the fix. Kinesis answers DescribeStreamSummary at most 20 times a second per account and refuses the rest
 * with LimitExceededException, which the SDK does not retry: with many cameras (or several instances starting
 * together) a refused check is tried again with backoff, up to {@link #ATTEMPTS} times, instead of failing the
 * start (each refusal counts in vigil_aws_throttled_total).
 */
final class ResultsStreams {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsStreams.class);

    static final int ATTEMPTS = 10;

    /** 100 ms, doubling with jitter, at most 5 s apart: about 30 s in all before the start gives up. */
    private static final Retry RATE_LIMITED = Retry.of("describeStreamSummary", RetryConfig.custom()
            .maxAttempts(ATTEMPTS)
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2.0, 0.5,
                    Duration.ofSeconds(5)))
            .retryOnException(e -> e instanceof LimitExceededException)
            .build());

    /**
     * A camera's results stream as found in AWS.
     *
     * @param openShards its open shards at start: with more than one, the camera's frames arrive out of order
     */
    record Found(String cameraId, String name, Arn arn, long creationEpochSeconds, int openShards) {
    }

    private ResultsStreams() {
    }

    static List<Found> check(KinesisClient kinesis, Region region, Household household) {
        if (household.cameras().isEmpty()) {
            throw new ConfigException("kinesis source: the household file lists no cameras, so there is no results "
                    + "stream to read. Add cameras (with resultsStream) to VIGIL_CONFIG.");
        }
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < household.cameras().size(); i++) {
            Household.Camera camera = household.cameras().get(i);
            if (camera.engine() != Household.Engine.STREAM_PROCESSOR) {
                continue; // the image engine samples the video itself: no results stream
            }
            StreamDescriptionSummary s = describe(kinesis, region, camera, i);
            int shards = s.openShardCount() == null ? 1 : s.openShardCount();
            if (shards > 1) {
                LOG.warn("results stream {} of camera {} has {} open shards: one is plenty for a camera (about one "
                        + "record a second); with several the frames of a visit arrive out of order, so its first "
                        + "alerts wait for the reorder window (vigil.decide.reorder-window)",
                        camera.resultsStream(), camera.id(), shards);
            }
            found.add(new Found(camera.id(), s.streamName(), Arn.fromString(s.streamARN()),
                    s.streamCreationTimestamp().getEpochSecond(), shards));
        }
        return found;
    }

    private static StreamDescriptionSummary describe(KinesisClient kinesis, Region region, Household.Camera camera,
                                                     int index) {
        String where = "results stream \"" + camera.resultsStream() + "\" of camera \"" + camera.id() + "\"";
        try {
            DescribeStreamSummaryResponse r = RATE_LIMITED.executeSupplier(
                    () -> kinesis.describeStreamSummary(b -> b.streamName(camera.resultsStream())));
            return r.streamDescriptionSummary();
        } catch (ResourceNotFoundException e) {
            throw new ConfigException("kinesis source: the " + where + " does not exist in region " + region
                    + ". Create it (one shard is enough) and point the camera's Rekognition stream processor at it, "
                    + "or set cameras[" + index + "].resultsStream to the stream it writes to, or set AWS_REGION / "
                    + "VIGIL_AWS_REGION to the region it is in.");
        } catch (KinesisException e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (status == 403 || code.contains("AccessDenied") || code.contains("UnrecognizedClient")
                    || code.contains("InvalidSignature")) {
                throw new ConfigException("kinesis source: not allowed to read the " + where + " (" + code + "). "
                        + "Check the credentials, and grant kinesis:DescribeStreamSummary, ListShards, "
                        + "GetShardIterator and GetRecords on it (README: IAM policy for the kinesis source).");
            }
            throw e;
        } catch (SdkClientException e) {
            throw AwsProblems.unreachable("kinesis source", "the " + where + " in region " + region, e);
        }
    }
}
