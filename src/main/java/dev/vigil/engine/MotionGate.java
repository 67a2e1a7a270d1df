package dev.vigil.engine;

import dev.vigil.config.ImageSampling;
import dev.vigil.model.Face;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The cheap local motion test in front of every paid Rekognition call: both frames downscaled to 64x36
 * grayscale, a pixel "changed" when its brightness moved by more than a threshold, motion when enough
 * unmasked pixels changed. Downscaling averages away sensor noise and JPEG artefacts. Sensitivity 0..1 sets
 * both the per-pixel threshold (38 levels at 0.5) and the share of changed pixels (2.7% at 0.5, about 60 of
 * the 2304 thumbnail pixels: a person at a doorbell moves far more, a leaf far less).
 */
public final class MotionGate {

    public static final int WIDTH = 64;
    public static final int HEIGHT = 36;

    /** What the gate saw: motion or not, the share of changed pixels, and where they were (frame ratios). */
    public record Result(boolean motion, double changedRatio, Face.BoundingBox region) {
    }

    private final int pixelThreshold;
    private final double minChangedRatio;
    private final boolean[] masked = new boolean[WIDTH * HEIGHT];
    private final int watched;

    public MotionGate(double sensitivity, List<ImageSampling.Region> mask) {
        double s = Math.max(0, Math.min(1, sensitivity));
        this.pixelThreshold = (int) Math.round(12 + (1 - s) * 52);
        this.minChangedRatio = 0.002 + (1 - s) * (1 - s) * 0.1;
        for (ImageSampling.Region r : mask) {
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    double cx = (x + 0.5) / WIDTH;
                    double cy = (y + 0.5) / HEIGHT;
                    if (cx >= r.left() && cx < r.left() + r.width() && cy >= r.top() && cy < r.top() + r.height()) {
                        masked[y * WIDTH + x] = true;
                    }
                }
            }
        }
        int open = 0;
        for (boolean m : masked) {
            open += m ? 0 : 1;
        }
        this.watched = open;
    }

    /** The frame as the gate compares it: 64x36 luminance values 0..255, averaged down from the full frame. */
    public static int[] thumbnail(BufferedImage frame) {
        BufferedImage small = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = small.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            // halve first so bilinear sampling sees every source pixel's neighbourhood, not every 20th pixel
            BufferedImage source = frame;
            while (source.getWidth() >= WIDTH * 4 && source.getHeight() >= HEIGHT * 4) {
                source = half(source);
            }
            g.drawImage(source, 0, 0, WIDTH, HEIGHT, null);
        } finally {
            g.dispose();
        }
        int[] pixels = new int[WIDTH * HEIGHT];
        small.getRaster().getPixels(0, 0, WIDTH, HEIGHT, pixels);
        return pixels;
    }

    /** Compares a frame with the one before it; with no earlier frame there is nothing to compare: no motion. */
    public Result compare(int[] previous, int[] current) {
        if (previous == null || watched == 0) {
            return new Result(false, 0, null);
        }
        int changed = 0;
        int minX = WIDTH;
        int minY = HEIGHT;
        int maxX = -1;
        int maxY = -1;
        for (int i = 0; i < current.length; i++) {
            if (!masked[i] && Math.abs(current[i] - previous[i]) > pixelThreshold) {
                changed++;
                int x = i % WIDTH;
                int y = i / WIDTH;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        double ratio = (double) changed / watched;
        Face.BoundingBox region = changed == 0 ? null : new Face.BoundingBox((double) minX / WIDTH,
                (double) minY / HEIGHT, (double) (maxX - minX + 1) / WIDTH, (double) (maxY - minY + 1) / HEIGHT);
        return new Result(ratio >= minChangedRatio, ratio, region);
    }

    private static BufferedImage half(BufferedImage image) {
        BufferedImage half = new BufferedImage(image.getWidth() / 2, image.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = half.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, half.getWidth(), half.getHeight(), null);
        } finally {
            g.dispose();
        }
        return half;
    }
}
