package dev.vigil.decide;

import dev.vigil.config.Household;
import dev.vigil.config.Thresholds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Looks up cameras by the stream they write to, and people by id. Built once from the household file. */
public final class Directory {

    /** A camera as decisions see it, with its effective thresholds. */
    public record CameraView(String id, String name, String location, Thresholds thresholds) {
    }

    private final Map<String, CameraView> byStream = new HashMap<>();
    private final Map<String, CameraView> byId = new HashMap<>();
    private final Map<String, Household.Person> people = new HashMap<>();
    private final Thresholds policyThresholds;

    public Directory(Household household) {
        this.policyThresholds = household.policy().thresholds();
        for (Household.Camera c : household.cameras()) {
            Thresholds t = c.thresholds() == null ? policyThresholds : c.thresholds().over(policyThresholds);
            CameraView view = new CameraView(c.id(), c.name(), c.location(), t);
            byStream.put(c.kvsStream(), view);
            byId.put(c.id(), view);
        }
        household.people().forEach(p -> people.put(p.id(), p));
    }

    /** The camera writing to this stream; a stream no camera claims is a camera named after the stream. */
    public CameraView camera(String streamName) {
        CameraView known = byStream.get(streamName);
        return known != null ? known : new CameraView(streamName, streamName, null, policyThresholds);
    }

    /** A camera by its id (a stream no camera claims is a camera whose id is the stream name). */
    public CameraView cameraById(String id) {
        CameraView known = byId.get(id);
        return known != null ? known : camera(id);
    }

    public Optional<Household.Person> person(String id) {
        return Optional.ofNullable(id).map(people::get);
    }

    public List<String> groups(String personId) {
        return person(personId).map(Household.Person::groups).orElse(List.of());
    }
}
