package dev.vigil.model;

/** What a single observation says about who is in front of the camera. */
public enum Outcome {
    /** Best match at or above the camera's match threshold. */
    KNOWN,
    /** A match below the camera's match threshold. */
    SUSPECTED,
    /** No match, and the face is good enough that a match would have been found. */
    UNKNOWN,
    /** No match, and the face fails a quality gate: no conclusion possible. */
    UNIDENTIFIABLE
}
