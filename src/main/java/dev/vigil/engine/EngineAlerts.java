package dev.vigil.engine;

import dev.vigil.config.Household;
import dev.vigil.decide.AlertIds;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Face;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The image engine's own alerts, in Alert v1: {@code budget_reached} (once per budget level a camera enters
 * per day; says what changes) and {@code motion} (once per motion episode when the budget is spent: movement,
 * identity not checked). Their {@code face.boundingBox} is where the picture changed (the whole frame for
 * budget_reached) and the face's other values are null; {@code person} is null.
 */
public final class EngineAlerts {

    private final Pacing pacing;
    private final Duration alertTtl;
    private final Severity motionSeverity;

    public EngineAlerts(Pacing pacing, Duration alertTtl, Severity motionSeverity) {
        this.pacing = pacing;
        this.alertTtl = alertTtl;
        this.motionSeverity = motionSeverity;
    }

    public Alert budget(Household.Camera camera, CostMeter.Level level, Instant now, CostMeter costs, String streamArn) {
        String day = costs.day(now).toString();
        boolean household = costs.householdLimited(camera.id(), now);
        String whose = household ? "the household's daily Rekognition budget (" + usd(costs.budget().householdDailyUsd()) + ")"
                : "this camera's daily Rekognition budget (" + usd(costs.budgetOf(camera.id())) + ")";
        String reason = level == CostMeter.Level.SLOW
                ? String.format(Locale.ROOT, "%d%% of %s is spent ($%.3f here today): sampling every %ds instead of %ds "
                        + "and face checks less often until midnight; once it is all spent only motion is reported",
                Math.round(costs.budget().slowAt() * 100), whose, costs.spentToday(camera.id()),
                camera.image().interval().multipliedBy(pacing.slowFactor()).toSeconds(), camera.image().interval().toSeconds())
                : String.format(Locale.ROOT, "%s is spent ($%.3f here today): no face checks until midnight, "
                        + "movement is reported without identity", capitalised(whose), costs.spentToday(camera.id()));
        String visit = AlertIds.visitId(camera.id(), "budget", day, level.name());
        return alert(AlertType.BUDGET_REACHED, Severity.WARNING, reason, camera, visit, now, now, 1,
                new Face.BoundingBox(0, 0, 1, 1), streamArn);
    }

    public Alert motion(Household.Camera camera, Instant episodeStart, Instant frameTime, MotionGate.Result motion,
                        String streamArn) {
        String reason = String.format(Locale.ROOT, "movement in %.0f%% of the picture; identity not checked: the daily "
                + "Rekognition budget is spent", motion.changedRatio() * 100);
        String visit = AlertIds.visitId(camera.id(), "motion", Long.toString(episodeStart.toEpochMilli()));
        return alert(AlertType.MOTION, motionSeverity, reason, camera, visit, episodeStart, frameTime, 1,
                motion.region() == null ? new Face.BoundingBox(0, 0, 1, 1) : motion.region(), streamArn);
    }

    private Alert alert(AlertType type, Severity severity, String reason, Household.Camera camera, String visit,
                        Instant first, Instant observed, int frames, Face.BoundingBox box, String streamArn) {
        return new Alert(Alert.VERSION, AlertIds.alertId(visit, type), type, severity, reason,
                new Alert.Camera(camera.id(), camera.name(), camera.location()), null,
                new Alert.Visit(visit, first, observed, frames), observed, observed.plus(alertTtl), false, false,
                new Alert.FaceSummary(box, null, null, null, null, null, null),
                new Alert.SourceRef(Source.IMAGE, streamArn, null, observed));
    }

    /** $0.50, $2.00; small amounts to a tenth of a cent ($0.004). */
    static String usd(double amount) {
        return String.format(Locale.ROOT, amount < 0.1 ? "$%.3f" : "$%.2f", amount);
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
