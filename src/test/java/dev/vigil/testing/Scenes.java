package dev.vigil.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Real JPEG camera frames for the image engine's tests: a still scene (sky, ground, a house front, with
 * per-frame sensor noise so no two frames are byte-equal) and shapes drawn on it (a moving "person", or a
 * face: a patch in a colour {@link ImageSearchFake} recognises).
 */
public final class Scenes {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 360;
    public static final Color ALICE = new Color(210, 40, 40);
    public static final Color STRANGER = new Color(40, 40, 210);
    public static final Color BLURRY = new Color(220, 200, 30);
    public static final Color COAT = new Color(235, 235, 235);

    /** A shape of the scene: a rectangle in a colour. */
    public record Shape(Rectangle box, Color color) {
    }

    private Scenes() {
    }

    public static byte[] frame(long noiseSeed, Shape... shapes) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(120, 150, 180));
        g.fillRect(0, 0, WIDTH, HEIGHT / 2);
        g.setColor(new Color(70, 90, 60));
        g.fillRect(0, HEIGHT / 2, WIDTH, HEIGHT / 2);
        g.setColor(new Color(110, 80, 70));
        g.fillRect(380, 80, 200, 220);
        g.setColor(new Color(60, 50, 45));
        g.fillRect(450, 170, 60, 130);
        for (Shape s : shapes) {
            g.setColor(s.color());
            g.fill(s.box());
        }
        g.dispose();
        Random noise = new Random(noiseSeed);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int rgb = image.getRGB(x, y);
                int d = noise.nextInt(9) - 4;
                int r = clamp(((rgb >> 16) & 0xff) + d);
                int gr = clamp(((rgb >> 8) & 0xff) + d);
                int b = clamp((rgb & 0xff) + d);
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A person: a coat-coloured body with a face of the given colour on top, at x. */
    public static Shape[] person(int x, Color face) {
        return new Shape[] {new Shape(new Rectangle(x, 150, 70, 170), COAT), new Shape(new Rectangle(x + 15, 95, 40, 50), face)};
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
