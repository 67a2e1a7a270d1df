package dev.vigil.history;

import dev.vigil.model.Face;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** The face crop the history keeps: the face box of a frame with a margin of half its size on every side. */
public final class FaceCut {

    private FaceCut() {
    }

    /** @return the crop as JPEG, or null when the frame cannot be read or the box is empty */
    public static byte[] around(byte[] frameJpeg, Face.BoundingBox box) {
        if (box == null) {
            return null;
        }
        try {
            BufferedImage frame = ImageIO.read(new ByteArrayInputStream(frameJpeg));
            if (frame == null) {
                return null;
            }
            int fw = frame.getWidth();
            int fh = frame.getHeight();
            int x0 = clamp((box.left() - box.width() / 2) * fw, fw);
            int y0 = clamp((box.top() - box.height() / 2) * fh, fh);
            int x1 = clamp((box.left() + box.width() * 1.5) * fw, fw);
            int y1 = clamp((box.top() + box.height() * 1.5) * fh, fh);
            if (x1 - x0 < 2 || y1 - y0 < 2) {
                return null;
            }
            BufferedImage crop = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_INT_RGB);
            crop.createGraphics().drawImage(frame, -x0, -y0, null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(crop, "jpeg", out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int clamp(double v, int max) {
        return (int) Math.max(0, Math.min(max, Math.round(v)));
    }
}
