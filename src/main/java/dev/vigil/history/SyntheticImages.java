package dev.vigil.history;

import dev.vigil.model.Alert;
import dev.vigil.model.Face;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The sample day's pictures: a cartoon face and a camera frame drawn with java.awt, each labelled
 * SYNTHETIC in large letters, so a new user can see the history's face.jpg and snapshot.jpg at work
 * without any real person's photo. The face's colours follow the alert's person (or "unknown"), so
 * different people look different. Letters are drawn from a built-in 5x7 pixel font: no system font
 * is needed (slim containers have none).
 */
public final class SyntheticImages {

    private static final Map<Character, String> GLYPHS = Map.ofEntries(
            Map.entry('S', "01111100001000001110000010000111110"),
            Map.entry('Y', "10001100010101000100001000010000100"),
            Map.entry('N', "10001110011010110011100011000110001"),
            Map.entry('T', "11111001000010000100001000010000100"),
            Map.entry('H', "10001100011000111111100011000110001"),
            Map.entry('E', "11111100001000011110100001000011111"),
            Map.entry('I', "01110001000010000100001000010001110"),
            Map.entry('C', "01110100011000010000100001000101110"),
            Map.entry('A', "01110100011000111111100011000110001"),
            Map.entry('M', "10001110111010110001100011000110001"),
            Map.entry('P', "11110100011000111110100001000010000"),
            Map.entry('L', "10000100001000010000100001000011111"),
            Map.entry(' ', "00000000000000000000000000000000000"));

    private SyntheticImages() {
    }

    /** A 240x240 cartoon face labelled SYNTHETIC. */
    public static byte[] face(Alert alert) {
        BufferedImage img = new BufferedImage(240, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0xE8EEF4));
        g.fillRect(0, 0, 240, 240);
        drawFace(g, 50, 30, 140, 170, seed(alert));
        text(g, "SYNTHETIC", 12, 212, 4, new Color(0xC0392B));
        g.dispose();
        return jpeg(img);
    }

    /** A 640x360 camera frame with the face where the alert's box says, labelled SYNTHETIC SAMPLE. */
    public static byte[] snapshot(Alert alert) {
        BufferedImage img = new BufferedImage(640, 360, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x5D6D7E));
        g.fillRect(0, 0, 640, 360);
        g.setColor(new Color(0x85929E)); // a door frame
        g.fillRect(220, 20, 200, 340);
        Face.BoundingBox box = alert.face() == null || alert.face().boundingBox() == null
                ? new Face.BoundingBox(0.42, 0.25, 0.16, 0.3) : alert.face().boundingBox();
        int x = (int) (box.left() * 640);
        int y = (int) (box.top() * 360);
        int w = Math.max(20, (int) (box.width() * 640));
        int h = Math.max(24, (int) (box.height() * 360));
        drawFace(g, x, y, w, h, seed(alert));
        g.setColor(Color.YELLOW);
        g.setStroke(new BasicStroke(2));
        g.drawRect(x - 4, y - 4, w + 8, h + 8);
        text(g, "SYNTHETIC SAMPLE", 20, 20, 3, Color.WHITE);
        g.dispose();
        return jpeg(img);
    }

    private static int seed(Alert alert) {
        return alert.person() == null ? 0 : alert.person().id().hashCode();
    }

    private static void drawFace(Graphics2D g, int x, int y, int w, int h, int seed) {
        Color[] skins = {new Color(0xF5CBA7), new Color(0xD7A27A), new Color(0xA0694B), new Color(0xFAD7A0),
                new Color(0x8D5A3C)};
        Color[] hair = {new Color(0x2C1B0E), new Color(0x7B4B2A), new Color(0xD4AC0D), new Color(0x566573)};
        g.setColor(hair[Math.floorMod(seed >> 3, hair.length)]);
        g.fillOval(x - w / 20, y - h / 20, w + w / 10, h / 2);
        g.setColor(skins[Math.floorMod(seed, skins.length)]);
        g.fillOval(x, y + h / 10, w, h - h / 10);
        g.setColor(Color.WHITE);
        g.fillOval(x + w / 4 - w / 10, y + h * 2 / 5, w / 5, h / 8);
        g.fillOval(x + w * 3 / 4 - w / 10, y + h * 2 / 5, w / 5, h / 8);
        g.setColor(new Color(0x1B2631));
        g.fillOval(x + w / 4 - w / 24, y + h * 2 / 5 + h / 40, w / 12, h / 12);
        g.fillOval(x + w * 3 / 4 - w / 24, y + h * 2 / 5 + h / 40, w / 12, h / 12);
        g.setStroke(new BasicStroke(Math.max(1, w / 40f)));
        g.drawLine(x + w / 2, y + h / 2, x + w / 2 - w / 16, y + h * 2 / 3);
        g.drawArc(x + w / 4, y + h / 2, w / 2, h / 3, 200, 140);
    }

    /** Draws capital letters from the 5x7 font, each pixel a scale x scale square. */
    private static void text(Graphics2D g, String s, int x, int y, int scale, Color color) {
        g.setColor(color);
        for (int i = 0; i < s.length(); i++) {
            String glyph = GLYPHS.getOrDefault(s.charAt(i), GLYPHS.get(' '));
            for (int p = 0; p < 35; p++) {
                if (glyph.charAt(p) == '1') {
                    g.fillRect(x + (i * 6 + p % 5) * scale, y + (p / 5) * scale, scale, scale);
                }
            }
        }
    }

    private static byte[] jpeg(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "jpeg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
