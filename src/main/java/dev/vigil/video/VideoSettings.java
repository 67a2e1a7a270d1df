package dev.vigil.video;

import dev.vigil.config.ConfigException;
import dev.vigil.config.DurationText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * The {@code vigil.snapshot.*} and {@code vigil.clip.*} settings, checked at start-up: a bad value stops
 * Vigil with a {@link ConfigException} naming the key and the fix.
 *
 * @param signingKey the HMAC key of snapshot URLs: from vigil.snapshot.signing-key(-file), else random per
 *                   process (URLs then stop working on restart, like the in-memory snapshots they point to)
 */
public record VideoSettings(boolean snapshots, Duration budget, KvsMedia.ImageSize size, boolean drawFaceBox,
                            int keep, Duration urlExpiry, String publicUrl, byte[] signingKey,
                            boolean clips, Duration clipPadding, Duration clipExpiry) {

    public boolean enabled() {
        return snapshots || clips;
    }

    /** The same settings with clips on or off (off when no channel is private: nobody could get them). */
    public VideoSettings withClips(boolean on) {
        return new VideoSettings(snapshots, budget, size, drawFaceBox, keep, urlExpiry, publicUrl, signingKey, on,
                clipPadding, clipExpiry);
    }

    /** @param props resolves a property, empty/absent as null */
    public static VideoSettings from(Function<String, String> props) {
        boolean snapshots = bool(props, "vigil.snapshot.enabled", false);
        boolean clips = bool(props, "vigil.clip.enabled", false);
        Duration budget = duration(props, "vigil.snapshot.budget", "2s");
        if (budget.isZero() || budget.isNegative() || budget.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new ConfigException("vigil.snapshot.budget: " + budget.toMillis() + " ms is outside 1 ms-30 s; an alert "
                    + "waits this long at most for its snapshot, e.g. 2s");
        }
        int width = integer(props, "vigil.snapshot.width", 1280);
        int height = integer(props, "vigil.snapshot.height", 720);
        int maxBytes = integer(props, "vigil.snapshot.max-bytes", 2_000_000);
        KvsMedia.ImageSize size;
        try {
            size = width == 0 && height == 0 ? new KvsMedia.ImageSize(null, null, maxBytes)
                    : KvsMedia.ImageSize.of(width, height, maxBytes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("vigil.snapshot.width/height/max-bytes: " + e.getMessage()
                    + "; set both sides (at most 3840x2160), or both 0 for the camera's own size");
        }
        int keep = integer(props, "vigil.snapshot.keep", 500);
        if (keep < 1) {
            throw new ConfigException("vigil.snapshot.keep: must be at least 1 (snapshots kept in memory)");
        }
        Duration urlExpiry = duration(props, "vigil.snapshot.url-expiry", "24h");
        if (urlExpiry.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new ConfigException("vigil.snapshot.url-expiry: at least 1m, e.g. 24h");
        }
        String publicUrl = text(props, "vigil.snapshot.public-url",
                "http://localhost:" + text(props, "vigil.http.port", "8080"));
        if (!publicUrl.startsWith("http://") && !publicUrl.startsWith("https://")) {
            throw new ConfigException("vigil.snapshot.public-url: \"" + publicUrl + "\" is not an http(s) URL; give the "
                    + "address receivers reach Vigil at, e.g. https://vigil.example.org");
        }
        Duration padding = duration(props, "vigil.clip.padding", "5s");
        Duration clipExpiry = duration(props, "vigil.clip.expiry", "1h");
        try {
            KvsMedia.checkHlsExpiry(clipExpiry);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("vigil.clip.expiry: " + e.getMessage() + " (the Kinesis Video limits); e.g. 1h");
        }
        return new VideoSettings(snapshots, budget, size, bool(props, "vigil.snapshot.draw-face-box", true), keep,
                urlExpiry, publicUrl.replaceAll("/+$", ""), signingKey(props), clips, padding, clipExpiry);
    }

    private static byte[] signingKey(Function<String, String> props) {
        String key = text(props, "vigil.snapshot.signing-key", null);
        String file = text(props, "vigil.snapshot.signing-key-file", null);
        if (file != null) {
            try {
                key = Files.readString(Path.of(file)).trim();
            } catch (Exception e) {
                throw new ConfigException("vigil.snapshot.signing-key-file: cannot read " + file + " (" + e.getMessage() + ")");
            }
        }
        if (key == null) {
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            return random;
        }
        if (key.length() < 16) {
            throw new ConfigException("vigil.snapshot.signing-key: at least 16 characters; e.g. the output of: openssl rand -hex 32");
        }
        return key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String text(Function<String, String> props, String key, String fallback) {
        String v = props.apply(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static boolean bool(Function<String, String> props, String key, boolean fallback) {
        String v = text(props, key, Boolean.toString(fallback));
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(key + ": \"" + v + "\" is not true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private static int integer(Function<String, String> props, String key, int fallback) {
        String v = text(props, key, Integer.toString(fallback));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": \"" + v + "\" is not a whole number");
        }
    }

    private static Duration duration(Function<String, String> props, String key, String fallback) {
        String v = text(props, key, fallback);
        try {
            return DurationText.parse(v);
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": \"" + v + "\" is not a duration; write it like 2s, 5m or PT1H");
        }
    }
}
