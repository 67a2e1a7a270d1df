package dev.vigil.teach;

import dev.vigil.config.Household;
import dev.vigil.config.Thresholds;
import dev.vigil.faces.FaceCollection;
import dev.vigil.faces.PersonId;
import dev.vigil.faces.Refused;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RuntimePerson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who an alert may be taught as: the household file's people and the people added at runtime (kept in the
 * history store; Vigil never rewrites the household file). Also the people list of {@code GET /api/people}
 * with each person's false matches and the corrections they earned.
 */
public class People {

    private final Household household;
    private final HistoryStore history;
    private final FalseMatches falseMatches;
    private final Clock clock;

    public People(Household household, HistoryStore history, FalseMatches falseMatches, Clock clock) {
        this.household = household;
        this.history = history;
        this.falseMatches = falseMatches;
        this.clock = clock;
    }

    public boolean inHousehold(String id) {
        return household.people().stream().anyMatch(p -> p.id().equals(id));
    }

    public Optional<RuntimePerson> runtime(String id) {
        return history.people().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** @throws Refused 400 unless the id is valid and names a household or runtime person */
    public String checkAllowed(String id) {
        PersonId.check(id);
        if (!inHousehold(id) && runtime(id).isEmpty()) {
            throw new Refused(400, id + " is neither in the household file nor added at runtime; add them first with"
                    + " POST /api/people {\"id\": \"" + id + "\", \"name\": \"...\"}", Map.of("person", id));
        }
        return id;
    }

    /** Adds (or renames) a runtime person; 409 for someone the household file already lists. */
    public RuntimePerson add(String id, String name, String by) {
        PersonId.check(id);
        if (name != null && (name.isBlank() || name.length() > 200)) {
            throw new Refused(400, "name: 1 to 200 characters, or leave it out to show the id");
        }
        if (inHousehold(id)) {
            throw new Refused(409, id + " is already in the household file; nothing to add", Map.of("person", id));
        }
        RuntimePerson person = new RuntimePerson(id, name, clock.instant(), by);
        history.putPerson(person);
        return person;
    }

    /** Every runtime and household person id. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        household.people().forEach(p -> ids.add(p.id()));
        history.people().forEach(p -> ids.add(p.id()));
        return ids;
    }

    /** The configured match threshold of a camera (camera, then policy, then defaults). */
    public double baseMatch(String cameraId) {
        Thresholds policy = household.policy().thresholds().over(Thresholds.DEFAULTS);
        return household.cameras().stream().filter(c -> c.id().equals(cameraId)).findFirst()
                .map(c -> c.thresholds() == null ? policy : c.thresholds().over(policy)).orElse(policy).match();
    }

    /**
     * GET /api/people: everyone with faces in the collection, in the household file or added at runtime, with
     * face counts, where they come from, and their false matches: count per camera, rate (false matches /
     * alerts naming them), the corrected match threshold per camera and the latest false matches.
     */
    public List<Map<String, Object>> list(FaceCollection faces) {
        Map<String, Map<String, Object>> byId = new TreeMap<>();
        for (FaceCollection.Person p : faces.people()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", p.id());
            entry.put("name", household.people().stream().filter(h -> h.id().equals(p.id())).findFirst()
                    .map(Household.Person::name).orElse(null));
            entry.put("faces", p.faces());
            entry.put("inHousehold", p.inHousehold());
            entry.put("runtimeAdded", false);
            byId.put(p.id(), entry);
        }
        for (RuntimePerson r : history.people()) {
            Map<String, Object> entry = byId.computeIfAbsent(r.id(), id -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("id", id);
                e.put("faces", 0);
                e.put("inHousehold", false);
                return e;
            });
            entry.put("name", r.name());
            entry.put("runtimeAdded", true);
            entry.put("addedAt", r.addedAt());
        }
        byId.values().forEach(e -> e.put("falseMatches", falseMatchReport((String) e.get("id"))));
        return List.copyOf(byId.values());
    }

    private Map<String, Object> falseMatchReport(String person) {
        Map<String, Object> out = new LinkedHashMap<>();
        int total = falseMatches.total(person);
        int naming = person.isEmpty() ? 0 : history.alertIdsNaming(person).size();
        out.put("count", total);
        out.put("alertsNaming", naming);
        out.put("rate", naming == 0 ? 0.0 : Math.round(1000.0 * total / naming) / 1000.0);
        List<Map<String, Object>> corrections = new ArrayList<>();
        falseMatches.byCamera(person).forEach((camera, count) -> {
            double base = baseMatch(camera);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("camera", camera);
            c.put("falseMatches", count);
            c.put("matchThreshold", falseMatches.threshold(person, camera, base));
            c.put("configuredThreshold", base);
            corrections.add(c);
        });
        out.put("corrections", corrections);
        out.put("recent", falseMatches.recent(person, 5));
        return out;
    }
}
