package dev.vigil.config;

import java.time.Duration;

/**
 * A camera's image-engine settings ({@code cameras[].image}), used when its engine is {@code image}: how often
 * Vigil samples a frame from Kinesis Video, and how much change between frames counts as motion.
 */
public record ImageSampling(Duration interval, Double motionSensitivity) {

    public static final ImageSampling DEFAULT = new ImageSampling(null, null);

    public ImageSampling {
        interval = interval == null ? Duration.ofSeconds(1) : interval;
        motionSensitivity = motionSensitivity == null ? 0.5 : motionSensitivity;
    }
}
