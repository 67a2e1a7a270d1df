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
    /** The last alert per identity, and the first frame of the visit it came from. */
    private record LastAlert(Instant at, Instant visitFirstSeen) {
    }

    private final List<Visit> open = new ArrayList<>();
    private final Map<String, LastAlert> lastAlert = new HashMap<>();
    private Instant newest = Instant.EPOCH;

    /** Closes visits whose last frame is older than the window at event time {@code now}, forgets old cooldowns. */
    void expire(Instant now, Duration window, Duration cooldown) {
        if (now.isAfter(newest)) {
            newest = now;
        }
        open.removeIf(v -> !v.isOpenAt(now, window));
        lastAlert.values().removeIf(a -> a.at().plus(cooldown).isBefore(newest));
    }

    /**
     * The first frame time that this camera's decision state still depends on: its open visits and the
     * visits whose alert still holds a cooldown. Replaying the camera's records from there rebuilds the same
     * visits, ids and cooldowns; null when nothing depends on the past.
     */
    Instant retainSince() {
        Instant since = null;
        for (Visit v : open) {
            since = since == null || v.firstSeen.isBefore(since) ? v.firstSeen : since;
        }
        for (LastAlert a : lastAlert.values()) {
            since = since == null || a.visitFirstSeen().isBefore(since) ? a.visitFirstSeen() : since;
        }
        return since;
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
        LastAlert last = lastAlert.get(identity);
        return last != null && Duration.between(last.at(), now).abs().compareTo(cooldown) < 0;
    }

    void alerted(String identity, Instant at, Instant visitFirstSeen) {
        lastAlert.put(identity, new LastAlert(at, visitFirstSeen));
    }

    int openVisits() {
        return open.size();
    }

    int cooldowns() {
        return lastAlert.size();
    }
}
