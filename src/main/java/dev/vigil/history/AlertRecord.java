package dev.vigil.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigil.model.Alert;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One decided alert as the history keeps it: what was decided, its visit, each channel's delivery outcome,
 * whether a face crop and a snapshot of the deciding frame are stored, and what the household said about it
 * (teach / not-a-match marks). Keyed by the alert id: recording the same alert again updates this record.
 *
 * @param id          the alert id (Alert.id)
 * @param type        alert type, wire form (known_person, unknown_face, ...)
 * @param severity    severity, wire form
 * @param camera      camera id
 * @param person      person id of known/suspected alerts, else null ({@link #FORGOTTEN} after forget)
 * @param personName  the person's display name, else null ({@link #FORGOTTEN} after forget)
 * @param similarity  the match's similarity (0..100), null without a match
 * @param observedAt  the deciding frame's time (the history's order: newest first)
 * @param visit       the visit the alert belongs to
 * @param replayed    from a replay or the sample day
 * @param engine      the face engine (stream-processor, image)
 * @param deliveries  the latest outcome per channel name
 * @param marks       teach / not-a-match marks, oldest first
 * @param face        whether a face crop JPEG is stored
 * @param snapshot    whether a snapshot JPEG is stored
 * @param recordedAt  when the history first or last wrote the record
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRecord(String id, String type, String severity, String reason, String camera, String cameraName,
                          String person, String personName, Double similarity, Instant observedAt, VisitRecord visit,
                          boolean replayed, String engine, Map<String, Delivery> deliveries, List<Mark> marks,
                          boolean face, boolean snapshot, Instant recordedAt) {

    /** What replaces a forgotten person's id and name in alert records. */
    public static final String FORGOTTEN = "forgotten person";

    public AlertRecord {
        deliveries = deliveries == null ? Map.of() : Map.copyOf(deliveries);
        marks = marks == null ? List.of() : List.copyOf(marks);
    }

    /** The record of a just-decided alert: no deliveries, no marks, no images yet. */
    public static AlertRecord of(Alert a, Instant recordedAt) {
        Alert.Person p = a.person();
        Alert.Visit v = a.visit();
        String camera = a.camera() == null ? null : a.camera().id();
        VisitRecord visit = v == null ? null : new VisitRecord(v.id(), camera == null ? List.of() : List.of(camera),
                v.firstSeen(), v.lastSeen(), v.frames(), a.face() == null ? null : a.face().boundingBox(),
                a.face() == null ? null : quality(a.face()));
        return new AlertRecord(a.id(), a.type() == null ? null : a.type().wire(),
                a.severity() == null ? null : a.severity().wire(), a.reason(), camera,
                a.camera() == null ? null : a.camera().name(), p == null ? null : p.id(), p == null ? null : p.name(),
                p == null ? null : p.similarity(), a.observedAt(), visit, a.replayed(),
                a.source() == null ? null : a.source().engine(), Map.of(), List.of(), false, false, recordedAt);
    }

    /** The face's quality as one number 0..100: its sharpness, else its detection confidence. */
    static Double quality(Alert.FaceSummary f) {
        return f.sharpness() != null ? f.sharpness() : f.confidence();
    }

    /**
     * This record (a re-recorded alert) written over the stored one: the alert's own fields are this
     * record's; deliveries, marks and stored images are the stored record's; the visit's cameras are the
     * union and its frame count the larger.
     */
    public AlertRecord over(AlertRecord stored) {
        if (stored == null) {
            return this;
        }
        VisitRecord v = visit;
        if (v != null && stored.visit != null && java.util.Objects.equals(v.id(), stored.visit.id())) {
            java.util.LinkedHashSet<String> cameras = new java.util.LinkedHashSet<>(stored.visit.cameras());
            cameras.addAll(v.cameras());
            v = new VisitRecord(v.id(), List.copyOf(cameras), earliest(v.firstFrame(), stored.visit.firstFrame()),
                    latest(v.lastFrame(), stored.visit.lastFrame()), Math.max(v.frames(), stored.visit.frames()),
                    v.bestBox(), v.bestQuality());
        }
        return new AlertRecord(id, type, severity, reason, camera, cameraName, person, personName, similarity,
                observedAt, v, replayed, engine, stored.deliveries, stored.marks, stored.face, stored.snapshot,
                recordedAt);
    }

    public AlertRecord withDelivery(Delivery d) {
        Map<String, Delivery> all = new java.util.TreeMap<>(deliveries);
        all.put(d.channel(), d);
        return new AlertRecord(id, type, severity, reason, camera, cameraName, person, personName, similarity,
                observedAt, visit, replayed, engine, all, marks, face, snapshot, recordedAt);
    }

    public AlertRecord withMark(Mark m) {
        List<Mark> all = new java.util.ArrayList<>(marks);
        all.add(m);
        return new AlertRecord(id, type, severity, reason, camera, cameraName, person, personName, similarity,
                observedAt, visit, replayed, engine, deliveries, all, face, snapshot, recordedAt);
    }

    /** The record saying whether a JPEG of the kind is stored. */
    public AlertRecord withImage(ImageKind kind, boolean stored) {
        return new AlertRecord(id, type, severity, reason, camera, cameraName, person, personName, similarity,
                observedAt, visit, replayed, engine, deliveries, marks, kind == ImageKind.FACE ? stored : face,
                kind == ImageKind.SNAPSHOT ? stored : snapshot, recordedAt);
    }

    /** The record with the person's id and name replaced by {@link #FORGOTTEN}. */
    public AlertRecord forgotten() {
        return new AlertRecord(id, type, severity, reason, camera, cameraName, FORGOTTEN, FORGOTTEN, similarity,
                observedAt, visit, replayed, engine, deliveries, marks, face, snapshot, recordedAt);
    }

    /** The record with every mark naming the person saying {@link #FORGOTTEN} instead (forget everywhere). */
    public AlertRecord withMarksForgetting(String personId) {
        List<Mark> all = marks.stream().map(m -> personId.equals(m.person())
                ? new Mark(m.kind(), FORGOTTEN, m.at(), m.by()) : m).toList();
        return new AlertRecord(id, type, severity, reason, camera, cameraName, person, personName, similarity,
                observedAt, visit, replayed, engine, deliveries, all, face, snapshot, recordedAt);
    }

    /** Whether a mark names the person. */
    public boolean marks(String personId) {
        return marks.stream().anyMatch(m -> personId.equals(m.person()));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** Whether the alert is about a known person (its images have the known-person retention). */
    public boolean aboutKnownPerson() {
        return "known_person".equals(type);
    }

    /**
     * The visit of an alert.
     *
     * @param cameras      camera ids the visit was seen at
     * @param firstFrame   its first frame's time
     * @param lastFrame    its last frame's time so far
     * @param frames       distinct frames counted
     * @param bestBox      the face box of the best (deciding) frame, ratios of the frame
     * @param bestQuality  that face's quality, 0..100
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VisitRecord(String id, List<String> cameras, Instant firstFrame, Instant lastFrame, int frames,
                              dev.vigil.model.Face.BoundingBox bestBox, Double bestQuality) {
    }

    /** One channel's outcome for the alert. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(String channel, DeliveryOutcome outcome, String reason, Instant at) {
    }

    /**
     * What the household said about the alert.
     *
     * @param kind    {@link MarkKind#TAUGHT} (the face was enrolled under person) or {@link MarkKind#NOT_A_MATCH}
     * @param person  the person taught, or the person it is not
     * @param by      who said so (API caller), may be null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mark(MarkKind kind, String person, Instant at, String by) {
    }
}
