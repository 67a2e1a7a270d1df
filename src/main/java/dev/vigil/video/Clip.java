package dev.vigil.video;

import java.time.Instant;

/**
 * An HLS ON_DEMAND playback URL covering a visit. The URL holds an AWS session token: it goes only to
 * channels marked private, and {@link #toString()} leaves it out so it cannot reach a log by accident.
 */
public record Clip(String url, Instant start, Instant end, Instant expiresAt) {

    @Override
    public String toString() {
        return "Clip[start=" + start + ", end=" + end + ", expiresAt=" + expiresAt + ", url=(secret)]";
    }
}
