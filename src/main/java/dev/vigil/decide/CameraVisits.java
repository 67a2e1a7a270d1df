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
    /**
     * Spans of event time (first frame, frame] from the first frame of the state a frame was decided with to that
     * frame, merged where they overlap (by first frame): a checkpoint inside one would make a replay decide that frame
     * without that state (see {@link #retainSince()}).
     */
    private final java.util.TreeMap<Instant, Instant> decidedWith = new java.util.TreeMap<>();
    /** The earliest first frame of the state the frame being decided used, or null (see {@link #deciding()}). */
    private Instant dependsOn;
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
        while (!decidedWith.isEmpty() && (decidedWith.firstEntry().getValue().isBefore(keepAfter)
                || decidedWith.size() > MAX_KEPT)) {
            decidedWith.pollFirstEntry();
        }
        trim(visits);
        trim(alerts);
    }

    /** A frame's decision begins: from here to {@link #decided} the state it uses is noted ({@link #uses}). */
    void deciding() {
        dependsOn = null;
    }

    /** The frame being decided uses state (a visit, an alert's cooldown) that goes back to {@code firstFrame}. */
    void uses(Instant firstFrame) {
        if (dependsOn == null || firstFrame.isBefore(dependsOn)) {
            dependsOn = firstFrame;
        }
    }

    /** The frame at {@code frameTime} is decided: it was decided with state that goes back to what it used. */
    void decided(Instant frameTime) {
        if (dependsOn == null || !dependsOn.isBefore(frameTime)) {
            return;
        }
        Instant lo = dependsOn;
        Instant hi = frameTime;
        if (!decidedWith.isEmpty() && !lo.isBefore(decidedWith.lastKey())) { // most frames: within the newest span
            Instant newestHi = decidedWith.get(decidedWith.lastKey());
            if (!newestHi.isBefore(lo)) {
                if (hi.isAfter(newestHi)) {
                    decidedWith.put(decidedWith.lastKey(), hi);
                }
                return;
            }
        }
        for (var e = decidedWith.floorEntry(hi); e != null && !e.getValue().isBefore(lo); e = decidedWith.floorEntry(hi)) {
            lo = e.getKey().isBefore(lo) ? e.getKey() : lo;
            hi = e.getValue().isAfter(hi) ? e.getValue() : hi;
            decidedWith.remove(e.getKey());
        }
        decidedWith.put(lo, hi);
    }

    private static void trim(List<?> oldestFirst) {
        if (oldestFirst.size() > MAX_KEPT) {
            oldestFirst.subList(0, oldestFirst.size() - MAX_KEPT).clear();
        }
    }

    /**
     * The first frame time from which a replay of this camera's records decides every frame as it was decided
     * here: null when nothing depends on the past (no open visit, no cooldown: a replay may start after the newest
     * frame). Otherwise at or before the first frame of its open visits and of the visits whose alert still holds
     * a cooldown (what later frames will be decided with), and never inside a span between a frame already decided
     * and the first frame of the state it was decided with (a visit it joined, an alert whose cooldown held it
     * back, a visit it identified): a replay starting inside one would decide that frame without that state, and
     * could alert what was held back here (or miss an alert through a cooldown this camera never had).
     */
    Instant retainSince() {
        Instant since = neededLater();
        if (since == null) {
            return null;
        }
        var span = decidedWith.lowerEntry(since);
        return span != null && !span.getValue().isBefore(since) ? span.getKey() : since;
    }

    /** The first frame of the open visits and of the visits whose alert still holds a cooldown, or null. */
    private Instant neededLater() {
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
     * nearest one within the window; null when none. With {@code begunBy}, only visits that were of this identity
     * by {@code t} (in event time, a visit that begins, or is identified, later is not yet); else any.
     */
    Visit find(String identity, Instant t, Duration window, boolean begunBy) {
        Visit best = null;
        long bestGap = Long.MAX_VALUE;
        long max = window.toMillis();
        for (Visit v : visits) {
            if (v.identity.equals(identity) && !(begunBy && v.since().isAfter(t))) {
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
     * A visit that had alerted by {@code o}'s time (event time) as unknown, or as a suspected match for the same
     * collection person, when {@code o} (of {@code identity}) is the only face of its frame and not of the visit's
     * frame: the known person is probably that face. A visit this person identified by a later frame that arrived
     * first counts as it was then.
     */
    Visit alertedUnidentified(String identity, FaceMatch match, FaceObservation o, Duration window) {
        if (o.facesInFrame() != 1) {
            return null;
        }
        String suspect = Identity.suspect(match);
        Instant t = o.frameTime();
        for (Visit v : visits) {
            boolean candidate = identifies(v, suspect, t) || (v.identity.equals(identity) && v.unidentifiedAt(t, suspect)
                    && !v.alertedAt.isAfter(t)); // identified by this person's later frame, which came first
            if (candidate && v.covers(t, window) && !v.seenIn(o)) {
                return v;
            }
        }
        return null;
    }

    /** Whether {@code v} alerted by {@code t} as unknown, or as a suspect of the person keyed {@code suspect}. */
    private static boolean identifies(Visit v, String suspect, Instant t) {
        return (v.outcome == Outcome.UNKNOWN || (v.outcome == Outcome.SUSPECTED && v.identity.equals(suspect)))
                && v.alertedAt != null && !v.alertedAt.isAfter(t);
    }

    /**
     * A visit of a known person, known as such by {@code o}'s time (event time), at {@code o}'s time, when {@code o} is the only face of
     * its frame (with several faces in a frame, an unidentified one is someone else) and not of the visit's latest
     * frame.
     */
    Visit knownNotInFrame(FaceObservation o, Duration window) {
        if (o.facesInFrame() != 1) {
            return null;
        }
        for (Visit v : visits) {
            if (v.knownBy(o.frameTime()) && v.covers(o.frameTime(), window) && !v.seenIn(o)) {
                return v;
            }
        }
        return null;
    }

    /**
     * Takes into {@code w} the visits that began after it and that, in event time, were part of it: they
     * formed only because the frames linking them to {@code w} arrived later (out of order). A later visit
     * within the window of {@code w} is part of it when it is of the same identity; when it is a known person's
     * and {@code w} had alerted as unknown (or as that person's suspect) before it began (it identifies
     * {@code w}); or when it is unidentified (not yet alerted) and {@code w} was a known person's when it began
     * (the face was the known person's). A merged visit's held alert is dropped: {@code w}'s decision stands for both.
     * A visit identified by known frames that, in event time, joined {@code w} (identified or known earlier) gives
     * them back and is again the unknown or suspected visit it was, while its visit_update is not decided.
     *
     * @return whether any visit was merged into {@code w}
     */
    boolean mergeLater(Visit w, Duration window, int decisionFrames) {
        boolean merged = false;
        for (boolean again = true; again; ) {
            again = false;
            for (int i = 0; i < visits.size(); i++) {
                Visit x = visits.get(i);
                if (x == w || x.firstSeen.isBefore(w.firstSeen) || !w.covers(x.firstSeen, window)) {
                    continue;
                }
                if (x.identity.equals(w.identity) && !x.identified() && !w.since().isAfter(x.firstSeen)) {
                    w.absorb(x, x.outcome == w.outcome, decisionFrames);
                } else if (x.identified() && w.knownBy(x.since()) && w.covers(x.since(), window)
                        && x.giveIdentityTo(w, decisionFrames)) {
                    merged = true; // x stays, as the unknown or suspected visit it was in event time
                    again = true;
                    break;
                } else if (x.outcome == Outcome.KNOWN && !x.identified() && x.alerted == null && x.latest != null
                        && identifies(w, Identity.suspect(x.latest.bestMatch()), x.firstSeen)) {
                    w.identifiedAs(x.identity);
                    w.absorb(x, true, decisionFrames);
                } else if (x.outcome != Outcome.KNOWN && w.knownBy(x.firstSeen) && x.alerted == null
                        && !otherCovers(x, window)) {
                    w.absorb(x, false, decisionFrames);
                } else {
                    continue;
                }
                if (x.held) {
                    x.held = false;
                    held--;
                }
                visits.remove(i);
                merged = true;
                again = true;
                break;
            }
        }
        return merged;
    }

    /** Whether another visit of {@code x}'s identity, begun by its first frame, covers that frame. */
    private boolean otherCovers(Visit x, Duration window) {
        for (Visit v : visits) {
            if (v != x && v.identity.equals(x.identity) && !v.firstSeen.isAfter(x.firstSeen)
                    && v.covers(x.firstSeen, window)) {
                uses(v.firstSeen); // without it, a replay would merge x
                return true;
            }
        }
        return false;
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

    /** The visits holding an alert, in event-time order (of their first frames). */
    List<Visit> heldInOrder() {
        List<Visit> out = new ArrayList<>(held);
        for (Visit v : visits) {
            if (v.held) {
                out.add(v);
            }
        }
        out.sort(java.util.Comparator.comparing(v -> v.firstSeen));
        return out;
    }

    void add(Visit v) {
        visits.add(v);
    }

    /** Another alert of this identity within the cooldown of {@code at}, before or after it (event time). */
    boolean coolingDown(String identity, Instant at, Duration cooldown) {
        Instant latest = null; // the alert a replay most surely has (its visit began last): the one noted as used
        for (PastAlert a : alerts) {
            if (a.identity().equals(identity) && Duration.between(a.at(), at).abs().compareTo(cooldown) < 0
                    && (latest == null || a.visitFirstSeen().isAfter(latest))) {
                latest = a.visitFirstSeen();
            }
        }
        if (latest != null) {
            uses(latest);
        }
        return latest != null;
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
