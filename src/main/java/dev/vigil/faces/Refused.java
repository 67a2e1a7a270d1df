package dev.vigil.faces;

import java.util.Map;

/**
 * A request Vigil refuses before (or instead of) changing anything: bad input, a photo Rekognition cannot
 * use, a missing token. {@code status} is the HTTP status the API answers with; the CLI exits 2.
 */
public class Refused extends RuntimeException {

    private final int status;
    private final Map<String, Object> details;

    public Refused(int status, String message) {
        this(status, message, Map.of());
    }

    public Refused(int status, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.details = details;
    }

    public int status() {
        return status;
    }

    /** Extra fields for the JSON error body, e.g. the faces found in a photo. */
    public Map<String, Object> details() {
        return details;
    }
}
