package dev.vigil.history;

/** What the recorder hands the writer: an alert decided (with the JPEGs of its frame), or a channel's outcome. */
public sealed interface HistoryEvent {

    /** @param face the face crop JPEG, null when none; @param snapshot the frame JPEG, null when none */
    record Decided(AlertRecord alert, byte[] face, byte[] snapshot) implements HistoryEvent {
    }

    record Outcome(String alertId, AlertRecord.Delivery delivery) implements HistoryEvent {
    }
}
