package dev.vigil.provision;

import dev.vigil.aws.AwsClients;
import dev.vigil.config.ConfigException;
import dev.vigil.config.DurationText;
import dev.vigil.config.Household;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** Binds the stream-processor lifecycle's beans (vigil.processors.*) for routes/13-ingest-processors.camel.yaml. */
public final class ProcessorLifecycle {

    private ProcessorLifecycle() {
    }

    /**
     * Binds {@code processorWatch} (the route's bean) always, and when {@code vigil.processors.enabled} the
     * readiness check as bean {@value StreamProcessorsHealthCheck#ID} (an {@link org.apache.camel.health.HealthCheck};
     * camel-main registers HealthCheck beans of the registry with the health-check registry).
     */
    public static void bind(CamelContext context, Household household, AwsClients aws, MeterRegistry metrics) {
        PropertiesComponent props = context.getPropertiesComponent();
        ProcessorWatch watch = new ProcessorWatch(household, aws::rekognition, metrics, Clock.systemUTC(),
                duration(props, "vigil.processors.stuck-after", "2m"),
                duration(props, "vigil.processors.retry-failed-after", "5m"),
                duration(props, "vigil.processors.retry-delay", "10s"));
        context.getRegistry().bind("processorWatch", watch);
        if (dev.vigil.config.Settings.flag(props, "vigil.processors.enabled", false)) {
            StreamProcessorsHealthCheck check = new StreamProcessorsHealthCheck(watch);
            check.setCamelContext(context);
            context.getRegistry().bind(StreamProcessorsHealthCheck.ID, check);
        }
    }

    private static Duration duration(PropertiesComponent props, String key, String fallback) {
        String text = props.resolveProperty(key).orElse(fallback);
        try {
            return DurationText.parse(text);
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": \"" + text + "\" is not a duration; write it like 30s, 2m or PT2M");
        }
    }
}
