package dev.vigil.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Test photos generated with javax.imageio: a face-like oval on a background, in any size and format. */
public final class Photos {

    private Photos() {
    }

    /** @param format "jpeg" or "png"; {@code seed} varies the picture so photos differ byte for byte */
    public static byte[] image(String format, int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40 + seed % 200, 90, 140));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(230, 190, 160));
        g.fillOval(width / 4, height / 6, width / 2, height * 2 / 3);
        g.setColor(Color.DARK_GRAY);
        g.fillOval(width * 3 / 8, height * 2 / 5, width / 16 + 1, height / 16 + 1);
        g.fillOval(width * 9 / 16, height * 2 / 5, width / 16 + 1, height / 16 + 1);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] jpeg(int width, int height) {
        return image("jpeg", width, height, 0);
    }

    public static byte[] png(int width, int height) {
        return image("png", width, height, 0);
    }

    public static int[] size(byte[] image) {
        try {
            BufferedImage read = ImageIO.read(new java.io.ByteArrayInputStream(image));
            return new int[] {read.getWidth(), read.getHeight()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
