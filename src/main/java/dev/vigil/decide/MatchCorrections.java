package dev.vigil.decide;

import dev.vigil.config.Thresholds;
import dev.vigil.model.FaceMatch;

/**
 * The household's corrections to matching, applied by the decision before it classifies a face: after "that
 * was not Alice" on a camera, Alice needs a higher similarity there to count as known (docs/teaching.md).
 */
@FunctionalInterface
public interface MatchCorrections {

    /** No corrections: the camera's thresholds as configured. */
    MatchCorrections NONE = (cameraId, match, base) -> base;

    /**
     * @param match the observation's best match, null for none
     * @param base  the camera's configured thresholds
     * @return the thresholds to classify this observation with
     */
    Thresholds thresholds(String cameraId, FaceMatch match, Thresholds base);
}
