package dev.vigil.config;

import java.time.Duration;
import java.util.List;

/**
 * A camera's image-engine settings ({@code cameras[].image}), used when its engine is {@code image}: how often
 * Vigil samples a frame from Kinesis Video, how much change between frames counts as motion, which parts of
 * the picture to ignore, and the camera's own daily Rekognition budget.
 *
 * @param interval          time between sampled frames while there is motion (at least 200 ms, KVS's minimum)
 * @param motionSensitivity 0..1; higher: smaller changes count as motion
 * @param mask              regions of the frame whose changes are ignored (a road, a tree), as frame ratios
 * @param dailyBudgetUsd    this camera's daily Rekognition budget in US dollars; null: vigil.image.budget.camera-daily-usd
 */
public record ImageSampling(Duration interval, Double motionSensitivity, List<Region> mask, Double dailyBudgetUsd) {

    public static final ImageSampling DEFAULT = new ImageSampling(null, null);

    public ImageSampling {
        interval = interval == null ? Duration.ofSeconds(1) : interval;
        motionSensitivity = motionSensitivity == null ? 0.5 : motionSensitivity;
        mask = mask == null ? List.of() : List.copyOf(mask);
    }

    public ImageSampling(Duration interval, Double motionSensitivity) {
        this(interval, motionSensitivity, null, null);
    }

    /** A rectangle of the frame, in ratios of its width and height (0..1), like Rekognition's BoundingBox. */
    public record Region(double left, double top, double width, double height) {
    }
}
