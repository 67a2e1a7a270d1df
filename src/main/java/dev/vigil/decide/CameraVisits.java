package dev.vigil.decide;

import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The open visits and cooldowns of one camera. Callers hold the instance's lock. */
final class CameraVisits {
    private final List<Visit> open = new ArrayList<>();
    private final Map<String, Instant> lastAlert = new HashMap<>();

    /** Closes visits whose last frame is older than the window at event time {@code now}. */
    void expire(Instant now, Duration window) {
        open.removeIf(v -> !v.isOpenAt(now, window));
    }

    Visit find(String identity) {
        for (Visit v : open) {
            if (v.identity.equals(identity)) {
                return v;
            }
        }
        return null;
    }

    /**
     * A visit that alerted as unknown, or as a suspected match for the same collection person, when {@code o}
     * is the only face of its frame and a later frame than the visit's: the known person is probably that face.
     */
    Visit alertedUnidentified(FaceMatch match, FaceObservation o) {
        if (o.facesInFrame() != 1) {
            return null;
        }
        for (Visit v : open) {
            boolean candidate = v.outcome == Outcome.UNKNOWN
                    || (v.outcome == Outcome.SUSPECTED && v.identity.equals(Identity.suspect(match)));
            if (candidate && v.alerted != null && !v.seenIn(o)) {
                return v;
            }
        }
        return null;
    }

    /**
     * An open visit of a known person, when {@code o} is the only face of its frame (with several faces in a
     * frame, an unidentified one is someone else) and not of the visit's latest frame.
     */
    Visit knownNotInFrame(FaceObservation o) {
        if (o.facesInFrame() != 1) {
            return null;
        }
        for (Visit v : open) {
            if (v.outcome == Outcome.KNOWN && !v.seenIn(o)) {
                return v;
            }
        }
        return null;
    }

    void add(Visit v) {
        open.add(v);
    }

    boolean coolingDown(String identity, Instant now, Duration cooldown) {
        Instant last = lastAlert.get(identity);
        return last != null && Duration.between(last, now).abs().compareTo(cooldown) < 0;
    }

    void alerted(String identity, Instant at) {
        lastAlert.put(identity, at);
    }
}
