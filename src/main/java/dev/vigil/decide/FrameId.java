package dev.vigil.decide;

import dev.vigil.model.Face;
import dev.vigil.model.FaceObservation;
import java.util.Objects;

/**
 * What makes two observations the same face in the same frame, whatever their transport said: a frame
 * delivered twice (Kinesis is at-least-once, producers retry PutRecord) gives equal ids. The camera is implied
 * (ids are kept per camera).
 *
 * <p>Stream processor: the fragment number and the frame's time (producer timestamp plus frame offset).
 * Image engine (no fragment): the frame's producer timestamp. In a frame of several faces, the face's box and its
 * position in the engine's answer tell them apart (a redelivered record repeats both); a frame of one face needs
 * neither.
 *
 * @param fragment    the KVS fragment number, or null (image engine)
 * @param frameMillis the frame's event time, epoch milliseconds
 * @param face        in a multi-face frame, the face's position and a hash of its box; 0 in a one-face frame
 */
record FrameId(String fragment, long frameMillis, long face) {

    static FrameId of(FaceObservation o) {
        return new FrameId(o.source() == null ? null : o.source().fragmentNumber(), o.frameTime().toEpochMilli(),
                o.facesInFrame() > 1 ? ((long) o.faceIndex() << 32) | box(o.face().box()) : 0);
    }

    /** Box values as the engine wrote them: a redelivered record parses to exactly the same doubles. */
    private static long box(Face.BoundingBox b) {
        return b == null ? 1 : Objects.hash(b.left(), b.top(), b.width(), b.height()) & 0xffffffffL | 1;
    }
}
