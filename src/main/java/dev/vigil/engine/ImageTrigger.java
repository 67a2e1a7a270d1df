package dev.vigil.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code POST /api/cameras/{id}/trigger}: a camera's own motion webhook (or anything holding the API token)
 * starts sampling an image-engine camera at once. Bearer token compared in constant time (both sides hashed
 * first, so not even the length leaks); 401 without it, 404 for a camera that is not on the image engine,
 * 202 when sampling started. Sets the exchange properties VigilHttpStatus and, when accepted, VigilCamera.
 */
public final class ImageTrigger {

    public static final String STATUS = "VigilHttpStatus";

    private final ImageEngine engine;
    private final byte[] tokenHash;

    public ImageTrigger(ImageEngine engine, String token) {
        this.engine = engine;
        this.tokenHash = token == null || token.isEmpty() ? null : sha256(token);
    }

    public String accept(Exchange exchange) {
        Message in = exchange.getMessage();
        String auth = in.getHeader("Authorization", String.class);
        if (!authorised(auth)) {
            exchange.setProperty(STATUS, 401);
            return "{\"error\":\"unauthorized\",\"message\":\"send Authorization: Bearer <vigil.api.token>\"}";
        }
        String id = in.getHeader("id", String.class);
        if (id == null || !engine.hasCamera(id)) {
            exchange.setProperty(STATUS, 404);
            return "{\"error\":\"not_found\",\"message\":\"no camera with engine: image has this id\"}";
        }
        engine.trigger(id);
        exchange.setProperty(STATUS, 202);
        exchange.setProperty(EngineHeaders.CAMERA, id);
        return "{\"camera\":\"" + id + "\",\"sampling\":\"started\"}";
    }

    boolean authorised(String header) {
        if (tokenHash == null || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(tokenHash, sha256(header.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
