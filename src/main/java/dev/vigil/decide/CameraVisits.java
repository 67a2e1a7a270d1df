package dev.vigil.decide;

import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The visits and cooldowns of one camera, in event time: the open visits, and the closed ones for as long as a
 * late frame may still join them (the late horizon). Callers hold the instance's lock.
 */
final class CameraVisits {
    /** A camera keeps at most this many visits and alerts for late frames (the oldest go first). */
    private static final int MAX_KEPT = 512;

    /** An alert of an identity, and the first frame of the visit it came from. */
    private record PastAlert(String identity, Instant at, Instant visitFirstSeen) {
    }

    private final List<Visit> visits = new ArrayList<>();
    private final List<PastAlert> alerts = new ArrayList<>();
    private Instant newest = Instant.EPOCH;
    private Duration window = Duration.ZERO;
    private Duration cooldown = Duration.ZERO;
    private int held;

    /**
     * Moves the camera's present to {@code watermark} (its newest frame time) and forgets visits and alerts no
     * late frame can reach any more: closed for longer than the late horizon.
     */
    void expire(Instant watermark, Duration window, Duration cooldown, Duration horizon) {
        this.newest = watermark;
        this.window = window;
        this.cooldown = cooldown;
        Instant keepAfter = watermark.minus(horizon);
        visits.removeIf(v -> !v.held && v.lastSeen.plus(window).isBefore(keepAfter));
        alerts.removeIf(a -> a.at().plus(cooldown).isBefore(keepAfter));
        trim(visits);
        trim(alerts);
    }

    private static void trim(List<?> oldestFirst) {
        if (oldestFirst.size() > MAX_KEPT) {
            oldestFirst.subList(0, oldestFirst.size() - MAX_KEPT).clear();
        }
    }

    /**
     * The first frame time that this camera's decision state still depends on: its open visits and the
     * visits whose alert still holds a cooldown. Replaying the camera's records from there rebuilds the same
     * visits, ids and cooldowns; null when nothing depends on the past. (Closed visits kept only for late
     * frames do not hold the checkpoint back.)
     */
    Instant retainSince() {
        Instant since = null;
        for (Visit v : visits) {
            if (v.isOpenAt(newest, window)) {
                since = since == null || v.firstSeen.isBefore(since) ? v.firstSeen : since;
            }
        }
        for (PastAlert a : alerts) {
            if (!a.at().plus(cooldown).isBefore(newest)) {
                since = since == null || a.visitFirstSeen().isBefore(since) ? a.visitFirstSeen() : since;
            }
        }
        return since;
    }

    /**
     * The visit of this identity a frame at {@code t} belongs to: the one whose frames it falls between, else the
     * nearest one within the window; null when none (the frame opens a visit).
     */
    Visit find(String identity, Instant t, Duration window) {
        Visit best = null;
        long bestGap = Long.MAX_VALUE;
        long max = window.toMillis();
        for (Visit v : visits) {
            if (v.identity.equals(identity)) {
                long gap = v.gap(t);
                if (gap <= max && gap < bestGap) {
                    best = v;
                    bestGap = gap;
                }
            }
        }
        return best;
    }

    /**
     * A visit that alerted as unknown, or as a suspected match for the same collection person, when {@code o}
     * is the only face of its frame and not of the visit's frame: the known person is probably that face. With
     * {@code held}, such a visit whose alert is still held instead.
     */
    Visit alertedUnidentified(FaceMatch match, FaceObservation o, Duration window, boolean held) {
        if (o.facesInFrame() != 1) {
            return null;
        }
        for (Visit v : visits) {
            boolean candidate = v.outcome == Outcome.UNKNOWN
                    || (v.outcome == Outcome.SUSPECTED && v.identity.equals(Identity.suspect(match)));
            if (candidate && (held ? v.held : v.alerted != null) && v.covers(o.frameTime(), window) && !v.seenIn(o)) {
                return v;
            }
        }
        return null;
    }

    /**
     * A visit of a known person at {@code o}'s time, when {@code o} is the only face of its frame (with several
     * faces in a frame, an unidentified one is someone else) and not of the visit's latest frame.
     */
    Visit knownNotInFrame(FaceObservation o, Duration window) {
        if (o.facesInFrame() != 1) {
            return null;
        }
        for (Visit v : visits) {
            if (v.outcome == Outcome.KNOWN && v.covers(o.frameTime(), window) && !v.seenIn(o)) {
                return v;
            }
        }
        return null;
    }

    /** How many visits hold an alert (see Decider): most cameras hold none, and skip looking. */
    int heldCount() {
        return held;
    }

    void holding(int change) {
        held += change;
    }

    List<Visit> all() {
        return List.copyOf(visits);
    }

    void add(Visit v) {
        visits.add(v);
    }

    /** Another alert of this identity within the cooldown of {@code at}, before or after it (event time). */
    boolean coolingDown(String identity, Instant at, Duration cooldown) {
        for (PastAlert a : alerts) {
            if (a.identity().equals(identity) && Duration.between(a.at(), at).abs().compareTo(cooldown) < 0) {
                return true;
            }
        }
        return false;
    }

    void alerted(String identity, Instant at, Instant visitFirstSeen) {
        alerts.add(new PastAlert(identity, at, visitFirstSeen));
    }

    /** Visits still open at the camera's newest frame (the memory benchmark's read-out). */
    int openVisits() {
        return (int) visits.stream().filter(v -> v.isOpenAt(newest, window)).count();
    }

    /** Alerts whose cooldown still holds at the camera's newest frame. */
    int cooldowns() {
        return (int) alerts.stream().filter(a -> !a.at().plus(cooldown).isBefore(newest)).count();
    }
}
