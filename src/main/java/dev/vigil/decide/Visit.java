package dev.vigil.decide;

import dev.vigil.model.AlertType;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Outcome;
import java.time.Duration;
import java.time.Instant;

/**
 * Frames of one identity at one camera, until a gap longer than the visit window. Mutable; owned by
 * {@link CameraVisits} and only touched under its lock.
 */
final class Visit {
    final String id;
    String identity;
    Outcome outcome;
    final Instant firstSeen;
    Instant lastSeen;
    int frames;
    /** Frames whose own classification is this visit's identity (absorbed frames do not count). */
    int agreeing;
    boolean decided;
    /** The type it alerted as, or null when it has not alerted. */
    AlertType alerted;
    /** Alerted as unknown or suspected, since identified as a known person: a visit_update is due. */
    boolean identifiedAfterAlert;
    FaceObservation latest;

    Visit(String id, String identity, Outcome outcome, Instant firstSeen) {
        this.id = id;
        this.identity = identity;
        this.outcome = outcome;
        this.firstSeen = firstSeen;
        this.lastSeen = firstSeen;
    }

    void add(FaceObservation o, boolean agrees) {
        frames++;
        if (agrees) {
            agreeing++;
            latest = o;
        }
        if (o.frameTime().isAfter(lastSeen)) {
            lastSeen = o.frameTime();
        }
    }

    /** An unknown or suspected visit that alerted turns out to be a known person: a visit_update is due. */
    void identifiedAs(String personIdentity) {
        identity = personIdentity;
        outcome = Outcome.KNOWN;
        agreeing = 0;
        identifiedAfterAlert = true;
    }

    boolean seenIn(FaceObservation o) {
        return latest != null && latest.frameTime().equals(o.frameTime()) && latest.source().fragmentNumber()
                .equals(o.source().fragmentNumber());
    }

    boolean isOpenAt(Instant t, Duration window) {
        return !lastSeen.plus(window).isBefore(t);
    }
}
