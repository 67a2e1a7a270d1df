package dev.vigil.model;

import java.time.Instant;

/**
 * Where an observation came from.
 *
 * @param engine            {@code rekognition-stream-processor} or {@code rekognition-image}
 * @param streamArn         the Kinesis Video stream ARN
 * @param fragmentNumber    KVS fragment number (a 47-digit decimal: kept as text); null for the image engine
 * @param producerTimestamp the fragment's producer timestamp
 * @param ref               the transport position, e.g. {@code file.jsonl:12} or {@code shardId-000:4953...}
 */
public record Source(String engine, String streamArn, String fragmentNumber, Instant producerTimestamp,
                     String ref) {

    public static final String STREAM_PROCESSOR = "rekognition-stream-processor";
    /** The image engine (GetImages + DetectFaces/SearchFacesByImage): it has no fragment number (null). */
    public static final String IMAGE = "rekognition-image";
}
