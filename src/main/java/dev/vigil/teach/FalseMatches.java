package dev.vigil.teach;

import dev.vigil.config.Thresholds;
import dev.vigil.decide.MatchCorrections;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.MarkKind;
import dev.vigil.model.FaceMatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * "That was not Alice", per person and camera, and the correction it earns: each false match raises that
 * person's match threshold on that camera by {@link #STEP} points of similarity, at most {@link #MAX_RAISE}
 * (and never above 100). A face of Alice that matched at 91 % after one "not" on the front door is then a
 * suspected match there, not a known person. The marks live in the history store (one NOT_A_MATCH mark per
 * alert); this is their in-memory index, rebuilt from the store at start.
 */
public final class FalseMatches implements MatchCorrections {

    public static final double STEP = 2.0;
    public static final double MAX_RAISE = 8.0;

    /** One false match: the camera, when it was said, and the alert it was said about. */
    public record FalseMatch(String camera, Instant at, String alertId) {
    }

    /** person -> camera -> false matches */
    private final ConcurrentMap<String, ConcurrentMap<String, List<FalseMatch>>> byPerson = new ConcurrentHashMap<>();

    /** Rebuilds the index from the NOT_A_MATCH marks the store holds for these people. */
    public void load(HistoryStore history, Iterable<String> people) {
        byPerson.clear();
        for (String person : people) {
            for (String alertId : history.alertIdsMarking(person)) {
                history.get(alertId).ifPresent(r -> r.marks().stream()
                        .filter(m -> m.kind() == MarkKind.NOT_A_MATCH && person.equals(m.person()))
                        .forEach(m -> add(person, r.camera(), m.at(), r.id())));
            }
        }
    }

    /** Counts one false match (once per alert and person). */
    public void add(String person, String camera, Instant at, String alertId) {
        List<FalseMatch> list = byPerson.computeIfAbsent(person, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(camera, c -> new CopyOnWriteArrayList<>());
        synchronized (list) {
            if (list.stream().noneMatch(f -> f.alertId().equals(alertId))) {
                list.add(new FalseMatch(camera, at, alertId));
            }
        }
    }

    public int count(String person, String camera) {
        return byPerson.getOrDefault(person, new ConcurrentHashMap<>()).getOrDefault(camera, List.of()).size();
    }

    /** False matches per camera, cameras in name order. */
    public Map<String, Integer> byCamera(String person) {
        Map<String, Integer> out = new TreeMap<>();
        byPerson.getOrDefault(person, new ConcurrentHashMap<>()).forEach((camera, list) -> out.put(camera, list.size()));
        return out;
    }

    public int total(String person) {
        return byCamera(person).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The person's false matches, newest first, at most {@code limit}. */
    public List<FalseMatch> recent(String person, int limit) {
        List<FalseMatch> all = new ArrayList<>();
        byPerson.getOrDefault(person, new ConcurrentHashMap<>()).values().forEach(all::addAll);
        all.sort(Comparator.comparing(FalseMatch::at).reversed());
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** How far the person's match threshold on the camera is raised: STEP per false match, at most MAX_RAISE. */
    public double raise(String person, String camera) {
        return Math.min(MAX_RAISE, STEP * count(person, camera));
    }

    /** The corrected match threshold for a person on a camera whose configured threshold is {@code base}. */
    public double threshold(String person, String camera, double base) {
        return Math.min(100.0, base + raise(person, camera));
    }

    @Override
    public Thresholds thresholds(String cameraId, FaceMatch match, Thresholds base) {
        if (match == null || match.personId() == null || byPerson.isEmpty()) {
            return base;
        }
        double raise = raise(match.personId(), cameraId);
        if (raise == 0) {
            return base;
        }
        return new Thresholds(threshold(match.personId(), cameraId, base.match()), base.minConfidence(),
                base.minSharpness(), base.minBrightness(), base.maxYaw(), base.maxPitch(), base.minFaceHeight());
    }

    /** Forgets every false match of the person; returns how many there were. */
    public int forget(String person) {
        Map<String, List<FalseMatch>> removed = byPerson.remove(person);
        return removed == null ? 0 : removed.values().stream().mapToInt(List::size).sum();
    }

    /** Whether anything about the person is counted (the forget test's check). */
    public boolean knows(String person) {
        return byPerson.containsKey(person);
    }
}
