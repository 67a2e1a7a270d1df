package dev.vigil.faces;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;

/**
 * Cuts one face out of a photo with several, so IndexFaces (MaxFaces 1 keeps the largest face) indexes the
 * face the user chose: the face's bounding box widened by half its size on every side, at least 80 px a
 * side where the photo allows, re-encoded as JPEG (quality 0.95).
 */
public final class FaceCrop {

    /** Photos above this many pixels are not decoded (a small file can unpack to gigabytes). */
    static final long MAX_PIXELS = 40_000_000L;

    private FaceCrop() {
    }

    public static Photo crop(Photo photo, BoundingBox box, int faceNumber) {
        if ((long) photo.width() * photo.height() > MAX_PIXELS) {
            throw new Refused(400, photo.label() + ": " + photo.width() + "x" + photo.height()
                    + " px is too large to cut a face out of; crop the photo to that person yourself");
        }
        BufferedImage image = read(photo);
        double w = box.width() * image.getWidth();
        double h = box.height() * image.getHeight();
        double cx = (box.left() + box.width() / 2) * image.getWidth();
        double cy = (box.top() + box.height() / 2) * image.getHeight();
        double side = Math.max(Photo.MIN_SIDE, Math.max(w, h) * 2);
        int x0 = clamp(cx - side / 2, image.getWidth());
        int y0 = clamp(cy - side / 2, image.getHeight());
        int x1 = clamp(cx + side / 2, image.getWidth());
        int y1 = clamp(cy + side / 2, image.getHeight());
        if (x1 - x0 < Photo.MIN_SIDE || y1 - y0 < Photo.MIN_SIDE) {
            throw new Refused(422, photo.label() + ": face " + faceNumber + " is too close to the edge of a small"
                    + " photo to cut out at 80 px a side; use a larger photo");
        }
        BufferedImage rgb = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(image, -x0, -y0, null);
        g.dispose();
        byte[] jpeg = jpeg(rgb);
        return Photo.check(photo.label() + " (face " + faceNumber + ")", jpeg);
    }

    private static int clamp(double v, int max) {
        return (int) Math.round(Math.max(0, Math.min(max, v)));
    }

    private static BufferedImage read(Photo photo) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(photo.bytes()));
            if (image == null) {
                throw new Refused(400, photo.label() + ": cannot be decoded");
            }
            return image;
        } catch (IOException e) {
            throw new Refused(400, photo.label() + ": cannot be decoded (" + e.getMessage() + ")");
        }
    }

    private static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
