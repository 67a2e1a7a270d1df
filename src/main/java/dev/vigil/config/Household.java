package dev.vigil.config;

import java.util.List;

/**
 * The household file: cameras, people and the alerting policy. Loaded and validated by
 * {@link HouseholdLoader}; see config/household.example.yaml for a commented example.
 */
public record Household(List<Camera> cameras, List<Person> people, Policy policy, Channels channels) {

    public Household {
        cameras = cameras == null ? List.of() : List.copyOf(cameras);
        people = people == null ? List.of() : List.copyOf(people);
        policy = policy == null ? Policy.DEFAULT : policy;
        channels = channels == null ? Channels.NONE : channels;
    }

    public Household(List<Camera> cameras, List<Person> people, Policy policy) {
        this(cameras, people, policy, null);
    }

    /**
     * @param kvsStream     the Kinesis Video stream the camera writes to
     * @param resultsStream the Kinesis Data Stream its Rekognition stream processor writes face-search results
     *                      to (the kinesis source reads it); default {@code AmazonRekognition-<kvsStream>}, a
     *                      name AWS's AmazonRekognitionServiceRole managed policy already lets Rekognition write
     * @param thresholds    per-camera overrides of {@code policy.thresholds} (only the keys given)
     */
    public record Camera(String id, String name, String location, String kvsStream, String resultsStream,
                         Thresholds thresholds) {
        public Camera {
            resultsStream = resultsStream == null && kvsStream != null ? "AmazonRekognition-" + kvsStream : resultsStream;
        }
    }

    /** @param id the Rekognition ExternalImageId the person's faces were enrolled with */
    public record Person(String id, String name, List<String> groups) {
        public Person {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }
}
