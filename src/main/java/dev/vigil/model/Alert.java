package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Alert v1: what every channel delivers. The JSON form is documented in
 * {@code docs/alert-v1.schema.json}; field names here are the wire names.
 */
@JsonPropertyOrder({"version", "id", "type", "severity", "reason", "camera", "person", "visit", "observedAt",
        "expiresAt", "stale", "replayed", "face", "source", "snapshot", "summary", "recurrence", "links"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Alert(String version, String id, AlertType type, Severity severity, String reason, Camera camera,
                    Person person, Visit visit, Instant observedAt, Instant expiresAt, boolean stale, boolean replayed,
                    FaceSummary face, SourceRef source,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Snapshot snapshot,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Summary summary,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Recurrence recurrence,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Links links) {

    public static final String VERSION = "1";

    /** An alert without links (no console public URL configured). */
    public Alert(String version, String id, AlertType type, Severity severity, String reason, Camera camera,
                 Person person, Visit visit, Instant observedAt, Instant expiresAt, boolean stale, boolean replayed,
                 FaceSummary face, SourceRef source, Snapshot snapshot, Summary summary, Recurrence recurrence) {
        this(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, stale, replayed, face,
                source, snapshot, summary, recurrence, null);
    }

    /** An alert without a recurrence (every alert but an unknown face seen before). */
    public Alert(String version, String id, AlertType type, Severity severity, String reason, Camera camera,
                 Person person, Visit visit, Instant observedAt, Instant expiresAt, boolean stale, boolean replayed,
                 FaceSummary face, SourceRef source, Snapshot snapshot, Summary summary) {
        this(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, stale, replayed, face,
                source, snapshot, summary, null);
    }

    /** A summary alert (type summary): the rate guard's, never enriched. */
    public Alert(String version, String id, AlertType type, Severity severity, String reason, Camera camera,
                 Person person, Visit visit, Instant observedAt, Instant expiresAt, boolean stale, boolean replayed,
                 FaceSummary face, SourceRef source, Summary summary) {
        this(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, stale, replayed, face,
                source, null, summary);
    }

    /** An alert decided from a face: no video enrichment yet (snapshot absent), no summary. */
    public Alert(String version, String id, AlertType type, Severity severity, String reason, Camera camera,
                 Person person, Visit visit, Instant observedAt, Instant expiresAt, boolean stale, boolean replayed,
                 FaceSummary face, SourceRef source) {
        this(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, stale, replayed, face,
                source, null, null);
    }

    /** The same alert with the camera's frame for it, or the reason there is none (video enrichment). */
    public Alert withSnapshot(Snapshot s) {
        return new Alert(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, stale, replayed,
                face, source, s, summary, recurrence, links);
    }

    /** The same alert, saying the unknown face was seen before (stranger recurrence, docs/teaching.md). */
    public Alert withRecurrence(Recurrence r, String newReason) {
        return new Alert(version, id, type, severity, newReason, camera, person, visit, observedAt, expiresAt, stale, replayed,
                face, source, snapshot, summary, r, links);
    }

    /** The same alert, marked as about a frame older than the live source's staleness limit. */
    public Alert asStale() {
        return new Alert(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, true, replayed,
                face, source, snapshot, summary, recurrence, links);
    }

    /** The same alert, marked as coming from a replay of recorded records (vigil replay, the sample day). */
    public Alert asReplayed() {
        return new Alert(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, stale, true,
                face, source, snapshot, summary, recurrence, links);
    }

    /** The same alert with where a person can see it (the web console's alert page). */
    public Alert withLinks(Links l) {
        return new Alert(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, stale, replayed,
                face, source, snapshot, summary, recurrence, l);
    }

    /** Where to see the alert: {@code console}, its page in Vigil's web console (from vigil.web.public-url). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(String console) {
    }

    /**
     * An unknown face seen before: the strangers collection holds faces of earlier alerts that match it.
     *
     * @param count     how many times this face was seen, this alert included
     * @param firstSeen when it was first seen (the earliest matching alert)
     * @param alertIds  the earlier alerts' ids, oldest first
     */
    public record Recurrence(int count, Instant firstSeen, List<String> alertIds) {
    }

    public record Camera(String id, String name, String location) {
    }

    /** The person the alert is about: the match for known/suspected alerts, null otherwise. */
    public record Person(String id, String name, double similarity, String faceId) {
    }

    public record Visit(String id, Instant firstSeen, Instant lastSeen, int frames) {
    }

    /** Detection details of the deciding frame; a value the engine did not report is null. */
    public record FaceSummary(Face.BoundingBox boundingBox, Double confidence, Double sharpness,
                              Double brightness, Double yaw, Double pitch, Double roll) {
        public static FaceSummary of(Face f) {
            return new FaceSummary(f.box(), orNull(f.confidence()), orNull(f.sharpness()), orNull(f.brightness()),
                    orNull(f.yaw()), orNull(f.pitch()), orNull(f.roll()));
        }

        private static Double orNull(double v) {
            return Double.isNaN(v) ? null : v;
        }
    }

    public record SourceRef(String engine, String streamArn, String fragmentNumber, Instant producerTimestamp) {
        public static SourceRef of(Source s) {
            return new SourceRef(s.engine(), s.streamArn(), s.fragmentNumber(), s.producerTimestamp());
        }
    }

    /**
     * The camera's frame of the deciding observation, fetched from Kinesis Video when the alert was enriched.
     *
     * @param status    {@code attached} (the JPEG is available: {@code url} and, where configured, inline), or
     *                  {@code none} (the alert went out without it; {@code reason} says why)
     * @param reason    for {@code none}: {@code no media}, {@code timed out}, {@code media error}, {@code too large},
     *                  {@code error}
     * @param takenAt   the producer timestamp of the frame asked for
     * @param url       where Vigil serves the JPEG, with an expiring signed token; null when not served
     * @param expiresAt when {@code url} stops working
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Snapshot(String status, String reason, Instant takenAt, String url, Instant expiresAt) {
        public static Snapshot none(String reason, Instant takenAt) {
            return new Snapshot("none", reason, takenAt, null, null);
        }

        public static Snapshot attached(Instant takenAt, String url, Instant expiresAt) {
            return new Snapshot("attached", null, takenAt, url, expiresAt);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isAttached() {
            return "attached".equals(status);
        }
    }

    /**
     * What a summary alert (type summary) folds together: the alerts a channel's rate guard held back in one
     * window, or (cause "missed") the alerts that expired undelivered while the channel was unreachable, counted
     * by type and camera, with their ids.
     */
    public record Summary(String channel, Instant windowStart, Instant windowEnd, int ceiling, int count,
                          Map<String, Integer> byType, Map<String, Integer> byCamera, List<String> alertIds,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String cause) {

        /** cause of a summary of alerts that expired undelivered while the channel was unreachable. */
        public static final String MISSED = "missed";

        /** A rate guard's summary (cause absent: held over the ceiling). */
        public Summary(String channel, Instant windowStart, Instant windowEnd, int ceiling, int count,
                       Map<String, Integer> byType, Map<String, Integer> byCamera, List<String> alertIds) {
            this(channel, windowStart, windowEnd, ceiling, count, byType, byCamera, alertIds, null);
        }

        public boolean missed() {
            return MISSED.equals(cause);
        }
    }
}
