package dev.vigil.decide;

import dev.vigil.config.ConfigException;
import dev.vigil.config.DurationText;
import dev.vigil.config.Household;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/** Binds the decision step ("decider") and its camera clock health check from {@code vigil.decide.*}. */
public final class DecideBeans {

    private DecideBeans() {
    }

    public static void bind(Registry registry, PropertiesComponent props, Household household, MeterRegistry metrics,
                            Clock clock) {
        FrameGate.Rules d = FrameGate.Rules.DEFAULTS;
        FrameGate frames = new FrameGate(new FrameGate.Rules(
                duration(props, "vigil.decide.reorder-window", d.reorderWindow()),
                duration(props, "vigil.decide.future-tolerance", d.futureTolerance()),
                duration(props, "vigil.decide.late-horizon", d.lateHorizon()),
                count(props, "vigil.decide.frame-memory", d.memory())), metrics);
        registry.bind("decider", new Decider(household, frames, metrics));
        registry.bind(CameraClocksHealthCheck.ID, new CameraClocksHealthCheck(frames,
                duration(props, "vigil.health.camera-clock-off-for", Duration.ofMinutes(15)), clock));
    }

    private static Duration duration(PropertiesComponent props, String key, Duration fallback) {
        String text = props.resolveProperty(key).filter(s -> !s.isBlank()).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            Duration d = DurationText.parse(text);
            if (d.isNegative()) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": \"" + text + "\" is not a duration; write it like 2s, 30s or 10m");
        }
    }

    private static int count(PropertiesComponent props, String key, int fallback) {
        String text = props.resolveProperty(key).filter(s -> !s.isBlank()).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n < 1) {
                throw new IllegalArgumentException();
            }
            return n;
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": \"" + text + "\" is not a count; write a whole number of at least 1, like 4096");
        }
    }
}
