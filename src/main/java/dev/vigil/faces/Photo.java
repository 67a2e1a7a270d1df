package dev.vigil.faces;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A photo that meets Rekognition's IndexFaces rules, checked before any AWS call: JPEG or PNG by its first
 * bytes (not its name or declared type), at most 5 MB, at least 80 px a side.
 *
 * @param label  how to name the photo in messages (the file name, or "upload")
 * @param format "jpeg" or "png"
 */
public record Photo(String label, byte[] bytes, String format, int width, int height) {

    public static final int MAX_BYTES = 5 * 1024 * 1024;
    public static final int MIN_SIDE = 80;

    /** @throws Refused 413 when too large, 400 when not a JPEG or PNG, unreadable or too small */
    public static Photo check(String label, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new Refused(400, label + ": empty; send a JPEG or PNG photo");
        }
        if (bytes.length > MAX_BYTES) {
            throw new Refused(413, label + ": " + bytes.length + " bytes; photos may be at most 5 MB ("
                    + MAX_BYTES + " bytes), Rekognition's limit");
        }
        String format = format(bytes);
        if (format == null) {
            throw new Refused(400, label + ": not a JPEG or PNG image (judged by its first bytes, not its name)");
        }
        int[] size = dimensions(label, bytes);
        if (size[0] < MIN_SIDE || size[1] < MIN_SIDE) {
            throw new Refused(400, label + ": " + size[0] + "x" + size[1] + " px; photos need at least "
                    + MIN_SIDE + " px a side (and a face that fills a good part of it)");
        }
        return new Photo(label, bytes, format, size[0], size[1]);
    }

    /** "jpeg" or "png" by magic bytes, else null. */
    public static String format(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "jpeg";
        }
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        if (b.length >= png.length && java.util.Arrays.equals(b, 0, png.length, png, 0, png.length)) {
            return "png";
        }
        return null;
    }

    /** Width and height from the image header, without decoding the pixels. */
    private static int[] dimensions(String label, byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    return new int[] {reader.getWidth(0), reader.getHeight(0)};
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            // falls through to the refusal below
        }
        throw new Refused(400, label + ": starts like an image but cannot be read (truncated or damaged?)");
    }
}
