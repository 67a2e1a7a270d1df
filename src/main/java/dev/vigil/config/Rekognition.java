package dev.vigil.config;

/**
 * The household's Rekognition settings (the {@code rekognition:} section): the face collection that holds
 * the known people's faces, and for the stream-processor engine the IAM role Rekognition assumes (empty:
 * {@code vigil provision apply} creates one per camera).
 */
public record Rekognition(String collection, String processorRoleArn) {

    public static final Rekognition DEFAULT = new Rekognition(null, null);

    public Rekognition {
        collection = collection == null || collection.isBlank() ? "vigil-household" : collection;
    }
}
