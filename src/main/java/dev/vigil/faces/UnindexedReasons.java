package dev.vigil.faces;

import java.util.List;
import java.util.Map;

/** Rekognition's reasons for not indexing a face (IndexFaces UnindexedFaces[].Reasons), in plain words. */
public final class UnindexedReasons {

    private static final Map<String, String> WORDS = Map.of(
            "EXTREME_POSE", "the head is turned or tilted too far; use a photo looking at the camera",
            "EXCEEDS_MAX_FACES", "there are more faces than asked for; use a photo with one face or choose one",
            "LOW_BRIGHTNESS", "the face is too dark; use a brighter photo",
            "LOW_SHARPNESS", "the face is blurred; use a sharper photo",
            "LOW_CONFIDENCE", "Rekognition is not confident this is a face",
            "SMALL_BOUNDING_BOX", "the face is too small in the photo; use a closer one",
            "LOW_FACE_QUALITY", "the face quality is too low (blur, light or occlusion); use a clearer photo");

    private UnindexedReasons() {
    }

    public static String plain(String reason) {
        return WORDS.getOrDefault(reason, reason.toLowerCase().replace('_', ' '));
    }

    public static List<String> plain(List<String> reasons) {
        return reasons.stream().map(UnindexedReasons::plain).toList();
    }
}
