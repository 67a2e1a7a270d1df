package dev.vigil.decide;

import dev.vigil.model.AlertType;
import dev.vigil.model.FaceObservation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids derived from event data only, so the same records always give the same visit and alert ids and a
 * receiver can de-duplicate anything delivered twice.
 */
public final class AlertIds {
    private AlertIds() {
    }

    /** From the camera, the identity and the visit's first frame (fragment, frame time and face position). */
    static String visitId(String cameraId, String identity, FaceObservation first) {
        return "v-" + hash(cameraId, identity, java.util.Objects.toString(first.source().fragmentNumber(), ""),
                Long.toString(first.frameTime().toEpochMilli()), Integer.toString(first.faceIndex())).substring(0, 20);
    }

    /** A visit id from any event data (the image engine's motion episodes and budget notices). */
    public static String visitId(String... parts) {
        return "v-" + hash(parts).substring(0, 20);
    }

    public static String alertId(String visitId, AlertType type) {
        String h = hash(visitId, type.wire());
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20, 32);
    }

    private static String hash(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
