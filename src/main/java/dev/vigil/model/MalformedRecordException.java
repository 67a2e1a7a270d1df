package dev.vigil.model;

/** A record that cannot be turned into observations; it goes to the dead-letter store with this message. */
public class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
