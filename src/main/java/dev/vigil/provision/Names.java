package dev.vigil.provision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The names and tags of what Vigil creates in AWS; provisioning and the processor lifecycle agree on them. */
public final class Names {

    /** Tag on everything Vigil creates; {@code provision destroy} deletes only resources that carry it. */
    public static final String MANAGED_TAG = "vigil:managed";
    public static final String CAMERA_TAG = "vigil:camera";
    /** IAM path of the roles Vigil creates. */
    public static final String ROLE_PATH = "/vigil/";
    /** The inline policy of a processor role. */
    public static final String ROLE_POLICY = "vigil-stream-processor";

    private Names() {
    }

    /**
     * The strangers collection beside the household's: unknown faces indexed by alert id, so a returning
     * stranger is recognised (docs/teaching.md). Collection ids allow 1-255 of {@code [a-zA-Z0-9_.\-]}.
     */
    public static String strangers(String collection) {
        return fit(collection + "-strangers", 255);
    }

    /** The face-search stream processor of a camera (1-128 of {@code [a-zA-Z0-9_.\-]}). */
    public static String processor(String cameraId) {
        return fit("vigil-" + cameraId, 128);
    }

    /** The IAM role Rekognition assumes for a camera's processor (at most 64 characters). */
    public static String role(String cameraId) {
        return fit("vigil-rekognition-" + cameraId, 64);
    }

    /** The alert history's DynamoDB table (vigil.history.table default). */
    public static final String HISTORY_TABLE = "vigil-history";

    /**
     * The alert history's S3 bucket when vigil.history.bucket is empty: bucket names are global, so the
     * account and region make it unique (at most 63 characters).
     */
    public static String historyBucket(String account, String region) {
        return "vigil-history-" + account + "-" + region;
    }

    /** Long names keep their start and get a short hash of the whole, so they stay unique and stable. */
    static String fit(String name, int max) {
        if (name.length() <= max) {
            return name;
        }
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
            return name.substring(0, max - 9) + "-" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
