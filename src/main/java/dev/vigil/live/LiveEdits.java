package dev.vigil.live;

import dev.vigil.config.Household;
import dev.vigil.decide.Decider;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Binds live edits (vigil.live.enabled): {@code liveHousehold} (the household file, checked by the
 * liveHousehold route) and the safe route reload of {@code routes/} ({@link LiveRoutes}; the directory is
 * vigil.live.routes-dir, set by VigilRuntime when routes are read from disk).
 */
public final class LiveEdits {

    private LiveEdits() {
    }

    public static LiveHousehold bind(CamelContext context, PropertiesComponent props, String householdLocation,
                                     Household household, MeterRegistry metrics, Decider decider) {
        LiveVersions versions = new LiveVersions(metrics);
        boolean enabled = Boolean.parseBoolean(props.resolveProperty("vigil.live.enabled").orElse("false").trim());
        Path file = householdLocation == null || householdLocation.startsWith("classpath:") ? null
                : Path.of(householdLocation);
        LiveHousehold live = new LiveHousehold(file, household, versions);
        live.onChange(decider::household);
        context.getRegistry().bind("liveHousehold", live);
        String routes = props.resolveProperty("vigil.live.routes-dir").orElse("").trim();
        if (enabled && !routes.isEmpty()) {
            try {
                context.addService(new LiveRoutes(routes, versions));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return live;
    }
}
