package dev.vigil.engine;

import dev.vigil.model.Face;
import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Source;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.Attribute;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;
import software.amazon.awssdk.services.rekognition.model.FaceDetail;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.SearchFacesByImageResponse;

/**
 * Rekognition on one frame: DetectFaces finds every face with its box, pose and quality, then
 * SearchFacesByImage runs once per face on a crop around it (SearchFacesByImage searches only the largest
 * face of an image). A crop Rekognition finds no face in (InvalidParameterException) is a face without
 * matches; the decision step then judges it by its quality like any unmatched face. Every call is charged
 * to the camera before it is made.
 */
public final class FaceSearch {

    private static final Logger LOG = LoggerFactory.getLogger(FaceSearch.class);
    /** Rekognition's smallest useful image side. */
    private static final int MIN_CROP = 80;

    /** Called on each use; AwsClients::rekognition builds the client once, when the engine first searches (issue 15). */
    private final java.util.function.Supplier<RekognitionClient> rekognition;
    private final String collection;
    private final float matchThreshold;
    private final int maxFaces;
    private final double margin;
    private final CostMeter costs;

    /**
     * @param matchThreshold SearchFacesByImage's FaceMatchThreshold (80, as the stream processor: no match below it)
     * @param margin         share of the face box added on every side of a crop
     */
    public FaceSearch(java.util.function.Supplier<RekognitionClient> rekognition, String collection, float matchThreshold, int maxFaces, double margin,
                      CostMeter costs) {
        this.rekognition = rekognition;
        this.collection = collection;
        this.matchThreshold = matchThreshold;
        this.maxFaces = maxFaces;
        this.margin = margin;
        this.costs = costs;
    }

    /** One observation per face of the frame, in DetectFaces' order; none when there is no face. */
    public List<FaceObservation> search(String camera, String cameraKey, Frame frame, BufferedImage image, Source source) {
        costs.charge(camera, CostMeter.Api.DETECT_FACES, 1, frame.time());
        List<FaceDetail> faces = rekognition.get().detectFaces(b -> b.image(image(frame.jpeg())).attributes(Attribute.DEFAULT))
                .faceDetails();
        List<FaceObservation> observations = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            FaceDetail face = faces.get(i);
            costs.charge(camera, CostMeter.Api.SEARCH_FACES_BY_IMAGE, 1, frame.time());
            observations.add(new FaceObservation(cameraKey, frame.time(), i, faces.size(), face(face),
                    matches(camera, crop(image, face.boundingBox())), source));
        }
        return observations;
    }

    private List<FaceMatch> matches(String camera, byte[] crop) {
        SearchFacesByImageResponse found;
        try {
            found = rekognition.get().searchFacesByImage(b -> b.collectionId(collection).image(image(crop))
                    .faceMatchThreshold(matchThreshold).maxFaces(maxFaces));
        } catch (InvalidParameterException e) {
            LOG.debug("camera {}: no face in the crop ({})", camera, e.awsErrorDetails().errorMessage());
            return List.of();
        }
        List<FaceMatch> matches = new ArrayList<>(found.faceMatches().size());
        for (var m : found.faceMatches()) {
            matches.add(new FaceMatch(m.face().externalImageId(), m.face().faceId(), value(m.similarity())));
        }
        matches.sort(Comparator.comparingDouble(FaceMatch::similarity).reversed());
        return matches;
    }

    /** The face's box widened by the margin on every side, clipped to the frame, at least 80 px a side. */
    byte[] crop(BufferedImage image, BoundingBox box) {
        int w = image.getWidth();
        int h = image.getHeight();
        double mx = box.width() * margin;
        double my = box.height() * margin;
        int x0 = clamp((int) Math.floor((box.left() - mx) * w), 0, w - 1);
        int y0 = clamp((int) Math.floor((box.top() - my) * h), 0, h - 1);
        int x1 = clamp((int) Math.ceil((box.left() + box.width() + mx) * w), x0 + 1, w);
        int y1 = clamp((int) Math.ceil((box.top() + box.height() + my) * h), y0 + 1, h);
        BufferedImage crop = image.getSubimage(x0, y0, x1 - x0, y1 - y0);
        if (crop.getWidth() < MIN_CROP || crop.getHeight() < MIN_CROP) {
            double scale = (double) MIN_CROP / Math.min(crop.getWidth(), crop.getHeight());
            BufferedImage larger = new BufferedImage((int) Math.ceil(crop.getWidth() * scale),
                    (int) Math.ceil(crop.getHeight() * scale), BufferedImage.TYPE_INT_RGB);
            var g = larger.createGraphics();
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(crop, 0, 0, larger.getWidth(), larger.getHeight(), null);
            g.dispose();
            crop = larger;
        }
        return jpeg(crop);
    }

    static byte[] jpeg(BufferedImage image) {
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_INT_RGB && image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            var g = rgb.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(rgb, "jpg", out)) {
                throw new IOException("no JPEG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Face face(FaceDetail d) {
        BoundingBox b = d.boundingBox();
        return new Face(new Face.BoundingBox(b.left(), b.top(), b.width(), b.height()), value(d.confidence()),
                d.quality() == null ? Double.NaN : value(d.quality().brightness()),
                d.quality() == null ? Double.NaN : value(d.quality().sharpness()),
                d.pose() == null ? Double.NaN : value(d.pose().yaw()),
                d.pose() == null ? Double.NaN : value(d.pose().pitch()),
                d.pose() == null ? Double.NaN : value(d.pose().roll()));
    }

    /** Rekognition's floats as the decimals it printed (99.4f is 99.4, not 99.40000152587891), like the JSON records. */
    static double value(Float f) {
        return f == null ? Double.NaN : Double.parseDouble(Float.toString(f));
    }

    private static Image image(byte[] bytes) {
        return Image.builder().bytes(SdkBytes.fromByteArray(bytes)).build();
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
