package dev.vigil.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes Rekognition face-search stream-processor records in the exact shape of the real captures in
 * ../shared/fixtures/rekognition-kds/: compact JSON, epoch-second doubles (exponent notation),
 * 47-digit fragment numbers, five landmarks, ExternalImageId on matches.
 */
final class RecordWriter {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-2";
    private static final long FRAGMENT_MILLIS = 2000;

    /** A face as the detector saw it in one frame. */
    record Detected(double left, double top, double width, double height, double confidence, double yaw,
                    double pitch, double roll, double brightness, double sharpness) {
    }

    /** A collection face that matched. */
    record Match(String personId, double similarity) {
    }

    /** One face in a frame: detection plus matches (best first). */
    record FaceInFrame(Detected face, List<Match> matches) {
    }

    private final ObjectMapper json = new ObjectMapper();

    String record(String stream, int streamNumber, Instant frameTime, double arrivalLagSeconds,
                  List<FaceInFrame> faces) {
        long frameMillis = frameTime.toEpochMilli();
        long fragmentStart = frameMillis - Math.floorMod(frameMillis, FRAGMENT_MILLIS);
        ObjectNode root = json.createObjectNode();
        ObjectNode video = root.putObject("InputInformation").putObject("KinesisVideo");
        video.put("StreamArn", "arn:aws:kinesisvideo:" + REGION + ":" + ACCOUNT + ":stream/" + stream + "/1763000000000");
        video.put("FragmentNumber", fragmentNumber(streamNumber, fragmentStart));
        video.put("ServerTimestamp", (fragmentStart + 350 + (long) (arrivalLagSeconds * 1000)) / 1000.0);
        video.put("ProducerTimestamp", fragmentStart / 1000.0);
        video.put("FrameOffsetInSeconds", (frameMillis - fragmentStart) / 1000.0);
        root.putObject("StreamProcessorInformation").put("Status", "RUNNING");
        ArrayNode responses = root.putArray("FaceSearchResponse");
        for (FaceInFrame f : faces) {
            ObjectNode response = responses.addObject();
            detected(response.putObject("DetectedFace"), f.face());
            ArrayNode matched = response.putArray("MatchedFaces");
            for (Match m : f.matches()) {
                ObjectNode match = matched.addObject();
                match.put("Similarity", m.similarity());
                ObjectNode face = match.putObject("Face");
                box(face.putObject("BoundingBox"), 0.160031, 0.274535, 0.516942, 0.685086);
                face.put("FaceId", uuid("face", m.personId()));
                face.put("Confidence", 99.9996);
                face.put("ImageId", uuid("image", m.personId()));
                face.put("ExternalImageId", m.personId());
            }
        }
        return root.toString();
    }

    private static void detected(ObjectNode node, Detected d) {
        box(node.putObject("BoundingBox"), d.left(), d.top(), d.width(), d.height());
        node.put("Confidence", d.confidence());
        ArrayNode landmarks = node.putArray("Landmarks");
        landmark(landmarks, d, 0.30, 0.38, "eyeLeft");
        landmark(landmarks, d, 0.70, 0.38, "eyeRight");
        landmark(landmarks, d, 0.35, 0.78, "mouthLeft");
        landmark(landmarks, d, 0.65, 0.78, "mouthRight");
        landmark(landmarks, d, 0.50, 0.60, "nose");
        ObjectNode pose = node.putObject("Pose");
        pose.put("Pitch", d.pitch());
        pose.put("Roll", d.roll());
        pose.put("Yaw", d.yaw());
        ObjectNode quality = node.putObject("Quality");
        quality.put("Brightness", d.brightness());
        quality.put("Sharpness", d.sharpness());
    }

    private static void landmark(ArrayNode landmarks, Detected d, double x, double y, String type) {
        ObjectNode l = landmarks.addObject();
        l.put("X", (float) (d.left() + x * d.width()));
        l.put("Y", (float) (d.top() + y * d.height()));
        l.put("Type", type);
    }

    private static void box(ObjectNode box, double left, double top, double width, double height) {
        box.put("Height", (float) height);
        box.put("Width", (float) width);
        box.put("Left", (float) left);
        box.put("Top", (float) top);
    }

    /** 47 decimal digits, increasing with time per stream, like KVS fragment numbers. */
    static String fragmentNumber(int streamNumber, long fragmentStartMillis) {
        long noise = Math.floorMod(fragmentStartMillis * 6364136223846793005L + streamNumber, 1_000_000_000_000_000L);
        return "913438523331" + streamNumber + fragmentStartMillis + String.format("%03d", streamNumber * 7)
                + String.format("%018d", noise);
    }

    static String uuid(String kind, String personId) {
        return UUID.nameUUIDFromBytes((kind + ":" + personId).getBytes(StandardCharsets.UTF_8)).toString();
    }

}
