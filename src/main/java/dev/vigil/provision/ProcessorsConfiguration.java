package dev.vigil.provision;

import dev.vigil.config.AreaConfiguration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;

/**
 * The stream-processor lifecycle (routes/13-ingest-processors): {@code processorWatch}, and with
 * vigil.processors.enabled the readiness check {@code stream-processors}, DOWN while a processor is not RUNNING.
 */
public class ProcessorsConfiguration extends AreaConfiguration {

    private ProcessorWatch watch;

    @BindToRegistry
    public ProcessorWatch processorWatch() {
        if (watch == null) {
            watch = new ProcessorWatch(household, aws::rekognition, metrics, clock,
                    settings.duration("vigil.processors.stuck-after"),
                    settings.duration("vigil.processors.retry-failed-after"),
                    settings.duration("vigil.processors.retry-delay"));
        }
        return watch;
    }

    @BindToRegistry(StreamProcessorsHealthCheck.ID)
    public StreamProcessorsHealthCheck streamProcessorsHealthCheck(CamelContext context) {
        if (!settings.flag("vigil.processors.enabled")) {
            return null;
        }
        StreamProcessorsHealthCheck check = new StreamProcessorsHealthCheck(processorWatch());
        check.setCamelContext(context);
        return check;
    }
}
