package dev.vigil;

/**
 * Names of the message headers and exchange properties Vigil's routes set. The source reference is an
 * exchange property so that it follows a record through splits and fan-out but never leaves Vigil.
 */
public final class Headers {
    /** Exchange property: transport position of a record, e.g. {@code day.jsonl#12} or a shard and sequence. */
    public static final String SOURCE_REF = "VigilSourceRef";
    /** Why an exchange went to the dead-letter store. */
    public static final String DEAD_LETTER_REASON = "VigilDeadLetterReason";
    /** What kind of thing was dead-lettered: {@code record} or {@code alert-<channel>}. */
    public static final String DEAD_LETTER_KIND = "VigilDeadLetterKind";

    private Headers() {
    }
}
