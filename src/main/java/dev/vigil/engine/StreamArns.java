package dev.vigil.engine;

import dev.vigil.config.Household;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;

/**
 * The ARN of each camera's Kinesis Video stream, for the source of image-engine alerts (GetImages works by
 * name and does not report it): DescribeStream once per camera; when that fails (no permission, an
 * emulator without it) the stream name stands in, with one WARN line.
 */
public final class StreamArns {

    private static final Logger LOG = LoggerFactory.getLogger(StreamArns.class);

    /** Called on each use; AwsClients::kinesisVideo builds the client once, on the first look-up (issue 15). */
    private final java.util.function.Supplier<KinesisVideoClient> kinesisVideo;
    private final Map<String, String> arns = new ConcurrentHashMap<>();

    public StreamArns(java.util.function.Supplier<KinesisVideoClient> kinesisVideo) {
        this.kinesisVideo = kinesisVideo;
    }

    public String of(Household.Camera camera) {
        return arns.computeIfAbsent(camera.kvsStream(), this::describe);
    }

    private String describe(String stream) {
        try {
            return kinesisVideo.get().describeStream(r -> r.streamName(stream)).streamInfo().streamARN();
        } catch (RuntimeException e) {
            LOG.warn("stream {}: DescribeStream failed ({}); alerts name the stream instead of its ARN", stream,
                    e.getClass().getSimpleName());
            return stream;
        }
    }
}
