package dev.vigil.model;

/**
 * A face of the collection that matched a detected face.
 *
 * @param personId   the ExternalImageId given at enrolment (Vigil's person id); null when absent
 * @param faceId     Rekognition's face id
 * @param similarity 0..100
 */
public record FaceMatch(String personId, String faceId, double similarity) {
}
