package dev.vigil.config;

import java.util.List;

/**
 * The household file: cameras, people and the alerting policy. Loaded and validated by
 * {@link HouseholdLoader}; see config/household.example.yaml for a commented example.
 */
public record Household(List<Camera> cameras, List<Person> people, Policy policy, Channels channels,
                        Rekognition rekognition, Retention retention, HomeArming arming,
                        java.util.Map<String, HomeArming.Presence> presence) {

    public Household {
        arming = arming == null ? HomeArming.NONE : arming;
        presence = presence == null ? java.util.Map.of() : java.util.Map.copyOf(presence);
        cameras = cameras == null ? List.of() : List.copyOf(cameras);
        people = people == null ? List.of() : List.copyOf(people);
        policy = policy == null ? Policy.DEFAULT : policy;
        channels = channels == null ? Channels.NONE : channels;
        rekognition = rekognition == null ? Rekognition.DEFAULT : rekognition;
        retention = retention == null ? Retention.DEFAULT : retention;
    }

    public Household(List<Camera> cameras, List<Person> people, Policy policy, Channels channels,
                     Rekognition rekognition, Retention retention) {
        this(cameras, people, policy, channels, rekognition, retention, null, null);
    }

    public Household(List<Camera> cameras, List<Person> people, Policy policy, Channels channels,
                     Rekognition rekognition) {
        this(cameras, people, policy, channels, rekognition, null, null, null);
    }

    public Household(List<Camera> cameras, List<Person> people, Policy policy, Channels channels) {
        this(cameras, people, policy, channels, null, null, null, null);
    }

    public Household(List<Camera> cameras, List<Person> people, Policy policy) {
        this(cameras, people, policy, null, null, null, null, null);
    }

    /** How a camera's frames are searched for faces. */
    public enum Engine {
        /** Rekognition's face-search stream processor writes results to a Kinesis Data Stream. */
        STREAM_PROCESSOR,
        /** Vigil samples frames from Kinesis Video (GetImages), gates on motion, calls SearchFacesByImage. */
        IMAGE;

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Engine of(String text) {
            return text == null ? null : valueOf(text.trim().toUpperCase().replace('-', '_'));
        }

        @Override
        public String toString() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /**
     * @param kvsStream     the Kinesis Video stream the camera writes to
     * @param resultsStream the Kinesis Data Stream its Rekognition stream processor writes face-search results
     *                      to (the kinesis source reads it); default {@code AmazonRekognition-<kvsStream>}, a
     *                      name AWS's AmazonRekognitionServiceRole managed policy already lets Rekognition write
     * @param thresholds    per-camera overrides of {@code policy.thresholds} (only the keys given)
     * @param engine        stream-processor (default) or image
     * @param image         sampling and motion settings of the image engine
     * @param retention     how long Kinesis Video keeps the camera's video (provisioning; snapshots and clips
     *                      need more than zero)
     * @param kmsKeyId      the KMS key Kinesis Video encrypts the stream with (provisioning; empty: AWS managed)
     */
    public record Camera(String id, String name, String location, String kvsStream, String resultsStream,
                         Thresholds thresholds, Engine engine, ImageSampling image, java.time.Duration retention,
                         String kmsKeyId) {
        public Camera {
            resultsStream = resultsStream == null && kvsStream != null ? defaultResultsStream(kvsStream) : resultsStream;
            engine = engine == null ? Engine.STREAM_PROCESSOR : engine;
            image = image == null ? ImageSampling.DEFAULT : image;
            retention = retention == null ? java.time.Duration.ofHours(24) : retention;
        }

        /** The results stream of a camera whose household entry names none: {@code AmazonRekognition-<kvsStream>}. */
        public static String defaultResultsStream(String kvsStream) {
            return "AmazonRekognition-" + kvsStream;
        }

        public Camera(String id, String name, String location, String kvsStream, String resultsStream,
                      Thresholds thresholds) {
            this(id, name, location, kvsStream, resultsStream, thresholds, null, null, null, null);
        }
    }

    /** @param id the Rekognition ExternalImageId the person's faces were enrolled with */
    public record Person(String id, String name, List<String> groups) {
        public Person {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }
}
