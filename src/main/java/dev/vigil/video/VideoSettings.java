package dev.vigil.video;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

    public static VideoSettings from(Settings props) {
        boolean snapshots = props.flag("vigil.snapshot.enabled");
        boolean clips = props.flag("vigil.clip.enabled");
        Duration budget = props.duration("vigil.snapshot.budget");
        if (budget.isZero() || budget.isNegative() || budget.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new ConfigException("vigil.snapshot.budget: " + budget.toMillis() + " ms is outside 1 ms-30 s; an alert "
                    + "waits this long at most for its snapshot, e.g. 2s");
        }
        int width = props.whole("vigil.snapshot.width", Integer.MIN_VALUE);
        int height = props.whole("vigil.snapshot.height", Integer.MIN_VALUE);
        int maxBytes = props.whole("vigil.snapshot.max-bytes", Integer.MIN_VALUE);
        KvsMedia.ImageSize size;
        try {
            size = width == 0 && height == 0 ? new KvsMedia.ImageSize(null, null, maxBytes)
                    : KvsMedia.ImageSize.of(width, height, maxBytes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("vigil.snapshot.width/height/max-bytes: " + e.getMessage()
                    + "; set both sides (at most 3840x2160), or both 0 for the camera's own size");
        }
        int keep = props.whole("vigil.snapshot.keep", Integer.MIN_VALUE);
        if (keep < 1) {
            throw new ConfigException("vigil.snapshot.keep: must be at least 1 (snapshots kept in memory)");
        }
        Duration urlExpiry = props.duration("vigil.snapshot.url-expiry");
        if (urlExpiry.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new ConfigException("vigil.snapshot.url-expiry: at least 1m, e.g. 24h");
        }
        String publicUrl = props.optional("vigil.snapshot.public-url")
                .orElse("http://localhost:" + props.text("vigil.http.port"));
        if (!publicUrl.startsWith("http://") && !publicUrl.startsWith("https://")) {
            throw new ConfigException("vigil.snapshot.public-url: \"" + publicUrl + "\" is not an http(s) URL; give the "
                    + "address receivers reach Vigil at, e.g. https://vigil.example.org");
        }
        Duration padding = props.duration("vigil.clip.padding");
        Duration clipExpiry = props.duration("vigil.clip.expiry");
        try {
            KvsMedia.checkHlsExpiry(clipExpiry);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("vigil.clip.expiry: " + e.getMessage() + " (the Kinesis Video limits); e.g. 1h");
        }
        return new VideoSettings(snapshots, budget, size, props.flag("vigil.snapshot.draw-face-box"), keep,
                urlExpiry, publicUrl.replaceAll("/+$", ""), signingKey(props), clips, padding, clipExpiry);
    }

    private static byte[] signingKey(Settings props) {
        String key = props.optional("vigil.snapshot.signing-key").orElse(null);
        String file = props.optional("vigil.snapshot.signing-key-file").orElse(null);
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
}
