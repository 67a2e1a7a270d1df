package dev.vigil.video;

import dev.vigil.model.Face;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Draws the deciding face's bounding box (ratios of the frame) on a JPEG; returns the frame unchanged if it cannot. */
public final class FaceBox {

    private FaceBox() {
    }

    public static byte[] draw(byte[] jpeg, Face.BoundingBox box) {
        if (box == null) {
            return jpeg;
        }
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (image == null) {
                return jpeg;
            }
            BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.drawImage(image, 0, 0, null);
            int stroke = Math.max(2, image.getWidth() / 200);
            g.setStroke(new BasicStroke(stroke));
            g.setColor(new Color(255, 196, 0));
            g.drawRect((int) Math.round(box.left() * image.getWidth()), (int) Math.round(box.top() * image.getHeight()),
                    (int) Math.round(box.width() * image.getWidth()), (int) Math.round(box.height() * image.getHeight()));
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
            return ImageIO.write(rgb, "jpg", out) ? out.toByteArray() : jpeg;
        } catch (IOException | RuntimeException e) {
            return jpeg;
        }
    }
}
