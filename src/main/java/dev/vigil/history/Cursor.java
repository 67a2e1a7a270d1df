package dev.vigil.history;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * A paging position: the last item's observedAt and id (results are ordered by both, descending). Opaque
 * to callers: base64url of {@code <epoch millis>:<id>}.
 */
record Cursor(long millis, String id) {

    static String of(AlertRecord last) {
        String text = last.observedAt().toEpochMilli() + ":" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the text is not a cursor this history handed out */
    static Cursor parse(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return new Cursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor: not a cursor of this history; pass the \"next\" value of the"
                    + " previous page unchanged");
        }
    }

    /**
     * The DynamoDB sort key of a position: fixed-width millis, then the id, so string order is time order. ASCII
     * digits whatever the JVM's locale (some locales format numbers with other digits).
     */
    static String sortKey(long millis, String id) {
        return String.format(Locale.ROOT, "%015d#%s", millis, id);
    }

    static String sortKey(AlertRecord r) {
        return sortKey(r.observedAt().toEpochMilli(), r.id());
    }

    static Instant time(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
