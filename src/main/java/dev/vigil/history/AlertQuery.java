package dev.vigil.history;

import java.time.Instant;

/**
 * A history query: every filter is optional (null), results are newest first (observedAt, then id, both
 * descending), {@code limit} at a time; {@code cursor} is the {@link Page#next()} of the previous page.
 *
 * @param since  observedAt at or after
 * @param until  observedAt before
 */
public record AlertQuery(String camera, String person, String type, String severity, Instant since, Instant until,
                         String cursor, int limit) {

    public static AlertQuery all(int limit) {
        return new AlertQuery(null, null, null, null, null, null, null, limit);
    }

    public AlertQuery after(String nextCursor) {
        return new AlertQuery(camera, person, type, severity, since, until, nextCursor, limit);
    }
}
