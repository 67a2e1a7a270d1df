package dev.vigil.video;

import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * GET /snapshots/{alertId}.jpg?expires=...&token=...: the JPEG while the signed URL is valid; 403 (JSON) for
 * a missing, altered or expired token, 404 (JSON) for a snapshot no longer kept. Only its own headers go out.
 */
public class SnapshotEndpoint {

    private static final Pattern NAME = Pattern.compile("([0-9a-f-]{36})\\.jpg");

    private final SnapshotStore store;
    private final SnapshotTokens tokens;
    private final Clock clock;

    public SnapshotEndpoint(SnapshotStore store, SnapshotTokens tokens, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    public void serve(Exchange exchange) {
        Message m = exchange.getMessage();
        String name = m.getHeader("name", String.class);
        String expires = m.getHeader("expires", String.class);
        String token = m.getHeader("token", String.class);
        m.removeHeaders("*");
        Matcher id = NAME.matcher(name == null ? "" : name);
        if (!id.matches() || !tokens.valid(id.group(1), expires, token, clock.instant())) {
            error(m, 403, "this snapshot link is invalid or has expired");
            return;
        }
        Optional<byte[]> jpeg = store.get(id.group(1));
        if (jpeg.isEmpty()) {
            error(m, 404, "this snapshot is no longer kept");
            return;
        }
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "image/jpeg");
        m.setHeader("Cache-Control", "private, max-age=300");
        m.setBody(jpeg.get());
    }

    private static void error(Message m, int status, String message) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(("{\"error\":\"" + message + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
