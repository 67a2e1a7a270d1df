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
