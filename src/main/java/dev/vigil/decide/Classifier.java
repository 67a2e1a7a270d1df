package dev.vigil.decide;

import dev.vigil.config.Thresholds;
import dev.vigil.model.Face;
import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Outcome;
import java.util.ArrayList;
import java.util.List;

/** Classifies one observation against a camera's thresholds. Stateless. */
public final class Classifier {

    /**
     * @param match       the best match (known, suspected), else null
     * @param failedGates the quality gates the face failed (only for unidentifiable)
     */
    public record Classification(Outcome outcome, FaceMatch match, List<String> failedGates) {
    }

    private Classifier() {
    }

    public static Classification classify(FaceObservation o, Thresholds t) {
        FaceMatch best = o.bestMatch();
        if (best != null) {
            return new Classification(best.similarity() >= t.match() ? Outcome.KNOWN : Outcome.SUSPECTED, best, List.of());
        }
        List<String> failed = failedGates(o.face(), t);
        return new Classification(failed.isEmpty() ? Outcome.UNKNOWN : Outcome.UNIDENTIFIABLE, null, failed);
    }

    /** Quality gates a face must pass for "no match" to mean "a stranger". A value not reported fails its gate. */
    static List<String> failedGates(Face f, Thresholds t) {
        List<String> failed = new ArrayList<>(2);
        gate(failed, "confidence", f.confidence() >= t.minConfidence());
        gate(failed, "sharpness", f.sharpness() >= t.minSharpness());
        gate(failed, "brightness", f.brightness() >= t.minBrightness());
        gate(failed, "yaw", Math.abs(f.yaw()) <= t.maxYaw());
        gate(failed, "pitch", Math.abs(f.pitch()) <= t.maxPitch());
        gate(failed, "face size", f.box().height() >= t.minFaceHeight());
        return failed;
    }

    private static void gate(List<String> failed, String name, boolean passed) {
        if (!passed) {
            failed.add(name);
        }
    }
}
