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
        "expiresAt", "stale", "replayed", "face", "source", "summary"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Alert(String version, String id, AlertType type, Severity severity, String reason, Camera camera,
                    Person person, Visit visit, Instant observedAt, Instant expiresAt, boolean stale, boolean replayed,
                    FaceSummary face, SourceRef source, @JsonInclude(JsonInclude.Include.NON_NULL) Summary summary) {

    public static final String VERSION = "1";

    /** Every alert but a summary: no {@code summary} field. */
    public Alert(String version, String id, AlertType type, Severity severity, String reason, Camera camera,
                 Person person, Visit visit, Instant observedAt, Instant expiresAt, boolean stale, boolean replayed,
                 FaceSummary face, SourceRef source) {
        this(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, stale, replayed, face,
                source, null);
    }

    /** The same alert, marked as about a frame older than the live source's staleness limit. */
    public Alert asStale() {
        return new Alert(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, true, replayed,
                face, source, summary);
    }

    /** The same alert, marked as coming from a replay of recorded records (vigil replay, the sample day). */
    public Alert asReplayed() {
        return new Alert(version, id, type, severity, reason, camera, person, visit, observedAt, expiresAt, stale, true,
                face, source, summary);
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
     * What a summary alert (type summary) folds together: the alerts a channel's rate guard held back in one
     * window, counted by type and camera, with their ids.
     */
    public record Summary(String channel, Instant windowStart, Instant windowEnd, int ceiling, int count,
                          Map<String, Integer> byType, Map<String, Integer> byCamera, List<String> alertIds) {
    }
}
