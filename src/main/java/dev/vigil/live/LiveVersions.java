package dev.vigil.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which version of each live-edited file is in force: the first 12 hex digits of the SHA-256 of its content.
 * Metric {@code vigil_live_version{file, version}} = 1 for the version in force (one series per file), counter
 * {@code vigil_live_refused_total{file}} for edits refused; a log line for each.
 */
public class LiveVersions {

    private static final Logger LOG = LoggerFactory.getLogger("live");

    private final MeterRegistry metrics;
    private final Map<String, Gauge> live = new ConcurrentHashMap<>();
    private final Map<String, String> versions = new ConcurrentHashMap<>();

    public LiveVersions(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public static String version(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String version(String content) {
        return version(content.getBytes(StandardCharsets.UTF_8));
    }

    /** The version in force of {@code file}, or null. */
    public String inForce(String file) {
        return versions.get(file);
    }

    /** {@code file} is now in force at {@code version} (at start: quietly; after an edit: logged). */
    public synchronized void live(String file, String version, boolean edited) {
        String before = versions.put(file, version);
        Gauge old = live.remove(file);
        if (old != null) {
            metrics.remove(old);
        }
        live.put(file, Gauge.builder("vigil.live.version", () -> 1).tag("file", file).tag("version", version)
                .description("1 for the version of each live-edited file in force").register(metrics));
        if (edited) {
            LOG.info("Live edit: {} version {} is live (was {})", file, version, before);
        }
    }

    /** An edit of {@code file} was refused; the version in force stays. */
    public void refused(String file, String version, String problem) {
        metrics.counter("vigil.live.refused", "file", file).increment();
        LOG.error("Live edit refused: {} version {}: {} -- version {} stays live", file, version, problem,
                versions.get(file));
    }
}
