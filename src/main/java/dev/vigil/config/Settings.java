package dev.vigil.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The {@code vigil.*} settings as the Java wiring reads them: the one place that turns their text into
 * flags, numbers and durations, and a bad value into a {@link ConfigException} that names the key and the
 * fix. Defaults live in one place only, {@code config/application.properties}: no caller passes a fallback,
 * so a key missing there is reported as a bug of the file, never silently replaced by a second default.
 * Bound as the bean {@code vigilSettings}; the area configuration classes take it as a parameter.
 */
public final class Settings {

    private static final String DEFAULTS = "config/application.properties";

    private final Function<String, String> lookup;

    /** @param lookup the value of a key, or null when it has none */
    public Settings(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** The settings of a Camel runtime: profile files, environment variables and overrides included. */
    public static Settings of(PropertiesComponent props) {
        return new Settings(key -> props.resolveProperty(key).orElse(null));
    }

    /**
     * The packaged {@code config/application.properties} with {@code values} over it, for code that runs
     * without a Camel context (tests, {@code cost-report}).
     */
    public static Settings defaultsWith(Map<String, String> values) {
        Map<String, String> all = new HashMap<>();
        Properties p = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
        all.putAll(values);
        return new Settings(all::get);
    }

    /** The value, trimmed ("" when set empty). */
    public String text(String key) {
        String value = lookup.apply(key);
        if (value == null) {
            throw new ConfigException(key + " is not set; " + DEFAULTS + " should give its default");
        }
        return value.trim();
    }

    /** The value, or empty when it is unset or blank (keys whose empty value means "not configured"). */
    public Optional<String> optional(String key) {
        return Optional.ofNullable(lookup.apply(key)).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** true or false (any case); anything else (a typo such as "ture") is a ConfigException naming the key. */
    public boolean flag(String key) {
        String v = text(key);
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key + ": \"" + v + "\" is not a boolean; write true or false (the"
                    + " environment variable " + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_')
                    + " works too)");
        };
    }

    /** A flag whose empty value means "decide for me": {@code fallback}. */
    public boolean flag(String key, boolean fallback) {
        return optional(key).isEmpty() ? fallback : flag(key);
    }

    public int whole(String key, long min, long max) {
        String v = text(key);
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + ": \"" + v + "\" is not a whole number " + range(min, max));
    }

    public int whole(String key, long min) {
        return whole(key, min, Integer.MAX_VALUE);
    }

    public double number(String key, double min, double max) {
        String v = text(key);
        try {
            double n = Double.parseDouble(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + ": \"" + v + "\" is not a number from " + min + " to " + max);
    }

    /** A duration of zero or more, written like 30s, 500ms, 5m or PT5M (a bare 0 is zero). */
    public Duration duration(String key) {
        String v = text(key);
        try {
            Duration d = v.equals("0") ? Duration.ZERO : DurationText.parse(v);
            if (!d.isNegative()) {
                return d;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new ConfigException(key + ": \"" + v + "\" is not a duration; write it like 30s, 500ms, 5m or PT5M");
    }

    /** A duration longer than zero. */
    public Duration positiveDuration(String key) {
        Duration d = duration(key);
        if (d.isZero()) {
            throw new ConfigException(key + ": must be longer than zero; write it like 30s, 5m or PT5M");
        }
        return d;
    }

    private static String range(long min, long max) {
        return max >= Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
    }
}
