package dev.vigil.video;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed snapshot URLs: {@code <base>/snapshots/<alertId>.jpg?expires=<unix seconds>&token=<hex HMAC-SHA256
 * of "<alertId>.<expires>">}. Verified in constant time; an altered id or expiry, or an expired URL, fails.
 */
public final class SnapshotTokens {

    private final SecretKeySpec key;

    public SnapshotTokens(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    public String url(String base, String alertId, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        return base + "/snapshots/" + alertId + ".jpg?expires=" + expires + "&token=" + token(alertId, expires);
    }

    public boolean valid(String alertId, String expires, String token, Instant now) {
        if (alertId == null || expires == null || token == null || !expires.matches("\\d{1,12}")) {
            return false;
        }
        long at = Long.parseLong(expires);
        boolean signed = MessageDigest.isEqual(token(alertId, at).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
        return signed && now.getEpochSecond() < at;
    }

    private String token(String alertId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((alertId + "." + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
