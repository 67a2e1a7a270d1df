package dev.vigil.teach;

import dev.vigil.faces.FaceAudit;
import dev.vigil.faces.FaceCollection;
import dev.vigil.faces.PersonId;
import dev.vigil.history.AlertRecord;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.MarkKind;
import dev.vigil.video.SnapshotStore;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases a person everywhere Vigil keeps a face or a name of theirs ({@code DELETE /api/people/{id}},
 * {@code vigil faces forget PERSON --yes}): their faces in the household collection, the strangers entries
 * taught to them, the face crops and snapshots of every alert naming them or taught as them (history and the
 * snapshot URLs' store), their name in alert records and marks (replaced by "forgotten person"), their
 * runtime person entry and their false-match counters. Writes one audit record with the counts per place.
 * With the history off ({@code history} null) only the collection and the counters are there to erase.
 */
public class ForgetEverywhere {

    private static final Logger LOG = LoggerFactory.getLogger(ForgetEverywhere.class);

    private final FaceCollection faces;
    private final Strangers strangers;
    private final HistoryStore history;
    private final FalseMatches falseMatches;
    private final SnapshotStore snapshots;
    private final FaceAudit audit;

    public ForgetEverywhere(FaceCollection faces, Strangers strangers, HistoryStore history, FalseMatches falseMatches,
                            SnapshotStore snapshots, FaceAudit audit) {
        this.faces = faces;
        this.strangers = strangers;
        this.history = history;
        this.falseMatches = falseMatches;
        this.snapshots = snapshots;
        this.audit = audit;
    }

    /**
     * @param counts     what was erased, per place (all 0 when Vigil held nothing of the person)
     * @param collection the household collection's part: faces found, removed, not removed (with reasons)
     */
    public record Forgotten(String person, Map<String, Integer> counts, FaceCollection.Forgotten collection,
                            boolean stillInHousehold) {
        public boolean nothingFound() {
            return counts.values().stream().allMatch(c -> c == 0);
        }
    }

    public Forgotten forget(String personId, String requestedBy) {
        PersonId.check(personId);
        FaceCollection.Forgotten collection = faces.removeFaces(personId);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("collectionFaces", collection.facesRemoved());
        if (history != null) {
            List<String> naming = history.alertIdsNaming(personId);
            Set<String> taught = new LinkedHashSet<>();
            for (String id : history.alertIdsMarking(personId)) {
                history.get(id).filter(r -> taughtAs(r, personId)).ifPresent(r -> taught.add(id));
            }
            Set<String> alerts = new LinkedHashSet<>(naming);
            alerts.addAll(taught);
            counts.put("strangerFaces", taught.isEmpty() ? 0 : strangers.delete(taught));
            counts.put("historyImages", history.deleteImages(alerts));
            counts.put("snapshotUrls", snapshots == null ? 0 : snapshots.remove(alerts));
            counts.put("alertRecords", history.forgetPerson(personId));
            counts.put("marks", history.forgetMarks(personId));
            counts.put("runtimePerson", history.removePerson(personId) ? 1 : 0);
        }
        counts.put("falseMatches", falseMatches.forget(personId));
        Forgotten forgotten = new Forgotten(personId, counts, collection, collection.stillInHousehold());
        if (!forgotten.nothingFound()) {
            Map<String, Object> fields = new LinkedHashMap<>(counts);
            fields.put("collectionFacesNotRemoved", collection.notRemoved().size());
            fields.put("strangersCollection", strangers.collection());
            audit.write("forget-everywhere", requestedBy, personId, faces.collection(), fields);
            LOG.info("Forgot a person everywhere: {}", counts);
        }
        return forgotten;
    }

    /** The alerts of a person a forget would touch, without touching them (for {@code --yes}-less runs). */
    public int alertsOf(String personId) {
        if (history == null) {
            return 0;
        }
        Set<String> alerts = new LinkedHashSet<>(history.alertIdsNaming(personId));
        alerts.addAll(history.alertIdsMarking(personId));
        return alerts.size();
    }

    static boolean taughtAs(AlertRecord r, String personId) {
        return r.marks().stream().anyMatch(m -> m.kind() == MarkKind.TAUGHT && personId.equals(m.person()));
    }
}
