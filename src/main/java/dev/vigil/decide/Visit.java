package dev.vigil.decide;

import dev.vigil.model.AlertType;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames of one identity at one camera, until a gap longer than the visit window. Mutable; owned by
 * {@link CameraVisits} and only touched under its lock.
 */
final class Visit {
    /** From the first frame in event time; re-anchored to an earlier frame that arrives before the visit is decided. */
    String id;
    String identity;
    Outcome outcome;
    Instant firstSeen;
    Instant lastSeen;
    int frames;
    /** Frames whose own classification is this visit's identity (absorbed frames do not count). */
    int agreeing;
    boolean decided;
    /** The type it alerted as, or null when it has not alerted. */
    AlertType alerted;
    /** The event time of its first alert (its deciding frame), or null. */
    Instant alertedAt;
    /** Alerted as unknown or suspected, since identified as a known person: a visit_update is due. */
    boolean identifiedAfterAlert;
    /** The agreeing frame with the newest event time. */
    FaceObservation latest;
    /**
     * The earliest agreeing frames in event time, as many as a decision needs: the last of them decides the
     * visit, whatever order the frames arrived in.
     */
    final List<FaceObservation> earliest = new ArrayList<>(2);
    /** Its alert is due but held until no earlier frame can arrive within the reorder window. */
    boolean held;
    /** When a held alert goes out at the latest (wall clock), and whether a late frame made it. */
    Instant heldUntil;
    boolean heldLate;

    Visit(String id, String identity, Outcome outcome, Instant firstSeen) {
        this.id = id;
        this.identity = identity;
        this.outcome = outcome;
        this.firstSeen = firstSeen;
        this.lastSeen = firstSeen;
    }

    void add(FaceObservation o, boolean agrees, int decisionFrames) {
        frames++;
        if (agrees) {
            agreeing++;
            keepEarliest(o, decisionFrames);
            if (latest == null || !o.frameTime().isBefore(latest.frameTime())) {
                latest = o;
            }
        }
        if (o.frameTime().isAfter(lastSeen)) {
            lastSeen = o.frameTime();
        }
        if (o.frameTime().isBefore(firstSeen)) {
            firstSeen = o.frameTime();
        }
    }

    /**
     * Takes in a visit that, in event time, was part of this one (its frames arrived before the frame that links
     * them): its frames, agreeing ones as agreeing when {@code agrees}, and its alert if this one has none.
     */
    void absorb(Visit other, boolean agrees, int decisionFrames) {
        frames += other.frames;
        if (agrees) {
            agreeing += other.agreeing;
            other.earliest.forEach(o -> keepEarliest(o, decisionFrames));
            if (other.latest != null && (latest == null || !other.latest.frameTime().isBefore(latest.frameTime()))) {
                latest = other.latest;
            }
        }
        lastSeen = other.lastSeen.isAfter(lastSeen) ? other.lastSeen : lastSeen;
        firstSeen = other.firstSeen.isBefore(firstSeen) ? other.firstSeen : firstSeen;
        if (alerted == null && other.alerted != null) { // it alerted already: the visit never alerts a second time
            alerted = other.alerted;
            alertedAt = other.alertedAt;
            decided = true;
        }
    }

    private void keepEarliest(FaceObservation o, int decisionFrames) {
        int at = earliest.size();
        while (at > 0 && earliest.get(at - 1).frameTime().isAfter(o.frameTime())) {
            at--;
        }
        if (at < decisionFrames) {
            earliest.add(at, o);
            if (earliest.size() > decisionFrames) {
                earliest.remove(earliest.size() - 1);
            }
        }
    }

    /**
     * What an identified visit was before (its unknown or suspected frames), while its visit_update is not yet
     * decided: a known frame that arrives later but identifies another visit first, in event time, gives it back.
     */
    private Visit before;

    /** An unknown or suspected visit that alerted turns out to be a known person: a visit_update is due. */
    void identifiedAs(String personIdentity) {
        before = new Visit(id, identity, outcome, firstSeen);
        before.absorb(this, true, earliest.size());
        before.lastSeen = lastSeen;
        identity = personIdentity;
        outcome = Outcome.KNOWN;
        agreeing = 0;
        latest = null;
        earliest.clear();
        identifiedAfterAlert = true;
    }

    /** The frame that decides the visit: the last of its earliest agreeing frames. */
    FaceObservation deciding() {
        return earliest.get(earliest.size() - 1);
    }

    /**
     * Gives the frames that identified this visit to {@code other}, which in event time they joined, and turns back
     * into the unknown or suspected visit it was; only while its visit_update is not decided.
     */
    boolean giveIdentityTo(Visit other, int decisionFrames) {
        if (before == null || !identifiedAfterAlert || !identity.equals(other.identity)) {
            return false;
        }
        other.frames += frames - before.frames;
        other.agreeing += agreeing;
        earliest.forEach(o -> other.keepEarliest(o, decisionFrames));
        if (latest != null && (other.latest == null || !latest.frameTime().isBefore(other.latest.frameTime()))) {
            other.latest = latest;
        }
        other.lastSeen = lastSeen.isAfter(other.lastSeen) ? lastSeen : other.lastSeen;
        identity = before.identity;
        outcome = before.outcome;
        frames = before.frames;
        agreeing = before.agreeing;
        earliest.clear();
        earliest.addAll(before.earliest);
        latest = before.latest;
        lastSeen = before.lastSeen;
        identifiedAfterAlert = false;
        before = null;
        return true;
    }

    /** Since when, in event time, the visit is of its identity: its earliest agreeing frame. */
    Instant since() {
        return earliest.isEmpty() ? firstSeen : earliest.get(0).frameTime();
    }

    /**
     * Whether, at event time {@code t}, it was still the unknown visit (or the suspected visit keyed {@code suspect})
     * that a known frame identified later: a known frame at {@code t} arriving after that one identifies it first.
     */
    boolean unidentifiedAt(Instant t, String suspect) {
        return before != null && since().isAfter(t) && (before.outcome == Outcome.UNKNOWN
                || (before.outcome == Outcome.SUSPECTED && before.identity.equals(suspect)));
    }

    /** Whether it was identified (after it alerted) by a known frame. */
    boolean identified() {
        return before != null || identifiedAfterAlert;
    }

    /**
     * Whether this is a known person's visit at event time {@code t}: its earliest known frame is no later (a visit
     * identified after it alerted is known from the frame that identified it on).
     */
    boolean knownBy(Instant t) {
        return outcome == Outcome.KNOWN && !earliest.isEmpty() && !earliest.get(0).frameTime().isAfter(t);
    }

    boolean seenIn(FaceObservation o) {
        return latest != null && latest.frameTime().equals(o.frameTime()) && latest.source().fragmentNumber()
                .equals(o.source().fragmentNumber());
    }

    boolean isOpenAt(Instant t, Duration window) {
        return !lastSeen.plus(window).isBefore(t);
    }

    /** How far event time {@code t} is from the visit's frames, in ms: 0 between its first and last frame. */
    long gap(Instant t) {
        long ms = t.toEpochMilli();
        long first = firstSeen.toEpochMilli();
        long last = lastSeen.toEpochMilli();
        return ms < first ? first - ms : ms > last ? ms - last : 0;
    }

    /** A frame at {@code t} belongs to this visit when no gap longer than the window separates them. */
    boolean covers(Instant t, Duration window) {
        return gap(t) <= window.toMillis();
    }
}
