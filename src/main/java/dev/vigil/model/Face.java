package dev.vigil.model;

/**
 * A detected face. Box values are ratios of the frame (0..1); confidence, brightness and sharpness
 * are 0..100; pose angles are degrees. Any value the engine did not report is NaN.
 */
public record Face(BoundingBox box, double confidence, double brightness, double sharpness,
                   double yaw, double pitch, double roll) {

    public record BoundingBox(double left, double top, double width, double height) {
    }
}
