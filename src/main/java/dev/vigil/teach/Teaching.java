package dev.vigil.teach;

import dev.vigil.faces.FaceCollection;
import dev.vigil.faces.Photo;
import dev.vigil.faces.Refused;
import dev.vigil.history.AlertRecord;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.ImageKind;
import dev.vigil.history.MarkKind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Teach from an alert ("that unknown was Dora") and record a false match ("that was not Alice"). The alert's
 * face crop comes from the history (stored when the alert was decided); teaching enrols it under the person
 * by the same photo rules as any enrolment (faces/FaceCollection) and, for an unknown face, moves every face
 * of that stranger from the strangers collection to the person. Both requests on one alert run one at a
 * time, and the second finds the first's mark: a teach happens once.
 */
public class Teaching {

    /** Alert types whose deciding frame shows a face. */
    static final Set<String> FACE_TYPES = Set.of("unknown_face", "suspected_match", "known_person", "visit_update",
            "unidentifiable_face");

    private final HistoryStore history;
    private final FaceCollection faces;
    private final Strangers strangers;
    private final People people;
    private final FalseMatches falseMatches;
    private final Clock clock;
    private final Object[] locks = new Object[64];

    public Teaching(HistoryStore history, FaceCollection faces, Strangers strangers, People people,
                    FalseMatches falseMatches, Clock clock) {
        this.history = history;
        this.faces = faces;
        this.strangers = strangers;
        this.people = people;
        this.falseMatches = falseMatches;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * @param faceIds        the face ids indexed under the person (this alert's first)
     * @param strangerAlerts the earlier alerts of the same stranger whose faces moved with it
     * @param alreadyTaught  the alert was taught as this person before: nothing was done now
     */
    public record Taught(String alert, String person, String collection, List<String> faceIds,
                         List<String> strangerAlerts, int strangerFacesDeleted, List<String> notMoved,
                         boolean alreadyTaught) {
    }

    public Taught teach(String alertId, String person, String by) {
        people.checkAllowed(person);
        synchronized (lock(alertId)) {
            AlertRecord alert = alert(alertId);
            Optional<AlertRecord.Mark> taught = alert.marks().stream().filter(m -> m.kind() == MarkKind.TAUGHT).findFirst();
            if (taught.isPresent()) {
                if (taught.get().person().equals(person)) {
                    return new Taught(alertId, person, faces.collection(), List.of(), List.of(), 0, List.of(), true);
                }
                throw new Refused(409, "alert " + alertId + " was already taught as someone else; forget that person"
                        + " or teach another alert", Map.of("alert", alertId));
            }
            byte[] crop = usableFace(alert);
            boolean stranger = "unknown_face".equals(alert.type());
            Set<String> strangerAlerts = new LinkedHashSet<>();
            if (stranger) {
                strangerAlerts.addAll(strangers.search(crop));
                strangerAlerts.add(alertId);
            }
            List<String> faceIds = new ArrayList<>(enrol(person, alertId, crop, by));
            List<String> notMoved = new ArrayList<>();
            List<String> moved = new ArrayList<>();
            for (String other : strangerAlerts) {
                if (other.equals(alertId)) {
                    continue;
                }
                Optional<byte[]> otherCrop = history.image(other, ImageKind.FACE);
                try {
                    if (otherCrop.isEmpty()) {
                        throw new Refused(422, "no face crop stored");
                    }
                    faceIds.addAll(enrol(person, other, otherCrop.get(), by));
                    history.mark(other, new AlertRecord.Mark(MarkKind.TAUGHT, person, clock.instant(), by));
                    moved.add(other);
                } catch (Refused r) {
                    notMoved.add(other + ": " + r.getMessage());
                }
            }
            int deleted = stranger ? strangers.delete(strangerAlerts) : 0;
            history.mark(alertId, new AlertRecord.Mark(MarkKind.TAUGHT, person, clock.instant(), by));
            return new Taught(alertId, person, faces.collection(), faceIds, moved, deleted, notMoved, false);
        }
    }

    /**
     * @param falseMatches  the person's false matches on the alert's camera, this one included
     * @param matchThreshold the person's match threshold on that camera now, and before this one
     */
    public record NotAMatch(String alert, String person, String camera, int falseMatches, double matchThreshold,
                            double thresholdBefore, boolean alreadyMarked) {
    }

    public NotAMatch notAMatch(String alertId, String person, String by) {
        people.checkAllowed(person);
        synchronized (lock(alertId)) {
            AlertRecord alert = alert(alertId);
            if (!person.equals(alert.person())) {
                throw new Refused(400, "alert " + alertId + " does not name " + person + " (it names "
                        + (alert.person() == null ? "nobody" : "someone else") + "); only a match can be wrong",
                        Map.of("alert", alertId));
            }
            String camera = alert.camera();
            double base = people.baseMatch(camera);
            boolean already = alert.marks().stream()
                    .anyMatch(m -> m.kind() == MarkKind.NOT_A_MATCH && person.equals(m.person()));
            double before = falseMatches.threshold(person, camera, base);
            if (!already) {
                history.mark(alertId, new AlertRecord.Mark(MarkKind.NOT_A_MATCH, person, clock.instant(), by));
                falseMatches.add(person, camera, clock.instant(), alertId);
            }
            return new NotAMatch(alertId, person, camera, falseMatches.count(person, camera),
                    falseMatches.threshold(person, camera, base), before, already);
        }
    }

    private AlertRecord alert(String alertId) {
        if (alertId == null || alertId.isBlank() || alertId.length() > 200) {
            throw new Refused(404, "no alert " + alertId + " in the history");
        }
        return history.get(alertId).orElseThrow(() -> new Refused(404, "no alert " + alertId + " in the history",
                Map.of("alert", alertId)));
    }

    /** The alert's stored face crop, or a 422 saying why there is no usable face to teach. */
    private byte[] usableFace(AlertRecord alert) {
        if (!FACE_TYPES.contains(alert.type())) {
            throw new Refused(422, "a " + alert.type() + " alert shows no face to teach", Map.of("alert", alert.id()));
        }
        if ("unidentifiable_face".equals(alert.type())) {
            throw new Refused(422, "the face in this alert failed the quality gates (" + alert.reason()
                    + "); teach from an alert with a clearer face", Map.of("alert", alert.id()));
        }
        Optional<byte[]> crop = history.image(alert.id(), ImageKind.FACE);
        if (crop.isEmpty()) {
            throw new Refused(422, "no face crop is stored for this alert: "
                    + (alert.replayed() ? "it came from a replay, which has no video to fetch the frame from"
                    : "its deciding frame could not be fetched from Kinesis Video, or retention has deleted it"),
                    Map.of("alert", alert.id()));
        }
        return crop.get();
    }

    /** Enrols one crop under the person (DetectFaces, then IndexFaces with ExternalImageId = person). */
    private List<String> enrol(String person, String alertId, byte[] crop, String by) {
        Photo photo;
        try {
            photo = Photo.check("alert " + alertId + " face", crop);
        } catch (Refused r) {
            throw new Refused(422, r.getMessage(), Map.of("alert", alertId));
        }
        FaceCollection.Enrolment e = faces.enrol(person, List.of(photo), null, "teach " + alertId + " " + by);
        if (e.indexed().isEmpty()) {
            throw new Refused(422, "no face indexed: " + String.join("; ", e.notIndexed().get(0).reasons()),
                    Map.of("alert", alertId, "notIndexed", e.notIndexed()));
        }
        return e.indexed().stream().map(FaceCollection.PhotoResult::faceId).toList();
    }

    private Object lock(String alertId) {
        return locks[Math.floorMod(String.valueOf(alertId).hashCode(), locks.length)];
    }
}
