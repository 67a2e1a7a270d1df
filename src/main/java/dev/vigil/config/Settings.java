package dev.vigil.config;

import java.util.Locale;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Strict readers of settings. A boolean is true, false, yes, no, on, off, 1 or 0 (any case, spaces trimmed);
 * empty or unset means the default. Anything else (a typo such as "ture") stops start-up with a
 * {@link ConfigException} naming the key, instead of {@code Boolean.parseBoolean} reading it as false.
 */
public final class Settings {

    private Settings() {
    }

    /** The on/off settings, some read only by routes (autoStartup) or Camel: checked once at start-up. */
    public static final java.util.List<String> FLAGS = java.util.List.of("vigil.sample.enabled", "vigil.console.enabled",
            "vigil.http.enabled", "vigil.kinesis.enabled", "vigil.image.enabled", "vigil.image.trigger.enabled",
            "vigil.api.enabled", "vigil.processors.enabled", "vigil.outbox.enabled", "vigil.snapshot.enabled",
            "vigil.clip.enabled", "vigil.rate-guard.exempt-critical");

    /** Stops start-up with a ConfigException naming the first of {@link #FLAGS} that is set but not a boolean. */
    public static void checkFlags(PropertiesComponent props) {
        FLAGS.forEach(key -> flag(props, key, false));
    }

    public static boolean flag(PropertiesComponent props, String key, boolean fallback) {
        return flag(key, props.resolveProperty(key).orElse(null), fallback);
    }

    public static boolean flag(String key, String value, boolean fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + ": \"" + value.trim() + "\" is not a boolean; write true or false"
                    + " (the environment variable " + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')
                    + " works too)");
        };
    }
}
