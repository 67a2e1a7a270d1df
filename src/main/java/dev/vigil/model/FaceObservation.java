package dev.vigil.model;

import java.time.Instant;
import java.util.List;

/**
 * One face seen in one analysed frame, whatever engine saw it. Everything downstream of ingestion
 * (classification, visits, policy, alerts) works on this type only.
 *
 * @param cameraKey  the key the engine knows the camera by (the Kinesis Video stream name)
 * @param frameTime  when the frame was taken (event time)
 * @param faceIndex  position of this face among the faces of its frame
 * @param facesInFrame how many faces the frame has (visits never merge two faces of one frame)
 * @param face       detection details (box, confidence, pose, quality)
 * @param matches    collection faces that matched, best first; empty for an unknown face
 * @param source     where the observation came from, for alerts and dead letters
 */
public record FaceObservation(String cameraKey, Instant frameTime, int faceIndex, int facesInFrame, Face face,
                              List<FaceMatch> matches, Source source) {

    public FaceObservation {
        matches = List.copyOf(matches);
    }

    /** The best match, or null when nothing in the collection matched. */
    public FaceMatch bestMatch() {
        return matches.isEmpty() ? null : matches.get(0);
    }
}
