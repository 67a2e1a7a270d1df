package dev.vigil.config;

/**
 * Classification thresholds. Every field is optional (null = inherit): a camera's thresholds override
 * the policy's, which override {@link #DEFAULTS}.
 *
 * @param match         similarity (0..100) at or above which a match is a known person; below is "suspected".
 *                      Rekognition never reports matches under 80, so values under 80 are refused
 * @param minConfidence detection confidence a face needs to count as a usable face
 * @param minSharpness  Rekognition Quality.Sharpness (0..100)
 * @param minBrightness Rekognition Quality.Brightness (0..100)
 * @param maxYaw        largest |yaw| in degrees (a profile face cannot be searched reliably)
 * @param maxPitch      largest |pitch| in degrees
 * @param minFaceHeight smallest face height as a ratio of the frame height
 */
public record Thresholds(Double match, Double minConfidence, Double minSharpness, Double minBrightness,
                         Double maxYaw, Double maxPitch, Double minFaceHeight) {

    public static final Thresholds DEFAULTS = new Thresholds(90.0, 90.0, 20.0, 15.0, 45.0, 30.0, 0.05);

    /** This set with every null taken from {@code base}. */
    public Thresholds over(Thresholds base) {
        return new Thresholds(pick(match, base.match), pick(minConfidence, base.minConfidence),
                pick(minSharpness, base.minSharpness), pick(minBrightness, base.minBrightness),
                pick(maxYaw, base.maxYaw), pick(maxPitch, base.maxPitch), pick(minFaceHeight, base.minFaceHeight));
    }

    private static Double pick(Double own, Double inherited) {
        return own != null ? own : inherited;
    }
}
