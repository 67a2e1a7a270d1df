package dev.vigil;

/**
 * Names of the message headers and exchange properties Vigil's routes set. The source reference is an
 * exchange property so that it follows a record through splits and fan-out but never leaves Vigil.
 */
public final class Headers {
    /** Exchange property: transport position of a record, e.g. {@code day.jsonl#12} or a shard and sequence. */
    public static final String SOURCE_REF = "VigilSourceRef";
    /** Exchange property set by the parser: the record's frame time (an Instant). */
    public static final String FRAME_TIME = "VigilFrameTime";
    /** Exchange property set by the parser: the camera key (Kinesis Video stream name) of the record. */
    public static final String CAMERA_KEY = "VigilCameraKey";
    /** Exchange property set on replayed records (vigil replay, the sample day): their alerts say so. */
    public static final String REPLAYED = "VigilReplayed";
    /**
     * Exchange property set by the Kinesis source on a record the shard's previous owner already handled (alerts
     * delivered or dead-lettered): it is decided to rebuild the camera's state, and its alerts are not sent again.
     */
    public static final String REBUILDING = "VigilRebuilding";
    /** Exchange property set by live sources: when the record arrived in the stream (an Instant). */
    public static final String ARRIVED_AT = "VigilArrivedAt";
    /** Why an exchange went to the dead-letter store. */
    public static final String DEAD_LETTER_REASON = "VigilDeadLetterReason";
    /** What kind of thing was dead-lettered: {@code record} or {@code alert-<channel>}. */
    public static final String DEAD_LETTER_KIND = "VigilDeadLetterKind";

    /** Exchange property set by the dead-letter route (and the retry lanes): this copy ended in dead letters. */
    public static final String DEAD_LETTERED = "VigilDeadLettered";
    /** Exchange property: the alert a channel's sending route is delivering, once its body is rendered. */
    public static final String ALERT = "VigilAlert";

    /** Exchange property set by each channel's routes: the channel's name (webhook name, sns, email). */
    public static final String CHANNEL = "VigilChannel";

    private Headers() {
    }
}
