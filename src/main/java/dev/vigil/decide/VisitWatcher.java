package dev.vigil.decide;

import dev.vigil.model.AlertType;
import dev.vigil.model.Outcome;
import java.time.Instant;

/** Hears of every frame the decision adds to a visit (Home Assistant's "unknown face" and "last seen" sensors). */
public interface VisitWatcher {

    VisitWatcher NONE = (camera, visitId, outcome, alertedAs, personId, frameTime, decidedNow) -> { };

    /**
     * @param alertedAs  the visit's alert so far (unknown_face, visit_update, ...), null when it has not alerted
     * @param personId   the known person, for a known visit
     * @param decidedNow this frame decided the visit (enough agreeing frames), alert or not
     */
    void frame(String camera, String visitId, Outcome outcome, AlertType alertedAs, String personId, Instant frameTime,
               boolean decidedNow);
}
