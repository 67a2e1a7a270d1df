package dev.vigil.live;

import dev.vigil.config.AreaConfiguration;
import dev.vigil.decide.Decider;
import java.nio.file.Path;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;

/**
 * Live edits (vigil.live.enabled): {@code liveHousehold} (the household file, checked by the
 * liveHousehold route) and the safe route reload of {@code routes/} ({@link LiveRoutes}; the directory is
 * vigil.live.routes-dir, set by VigilRuntime when routes are read from disk).
 */
public class LiveConfiguration extends AreaConfiguration {

    private final String householdLocation;

    @BeanInject("decider")
    Decider decider;

    /** @param householdLocation the household file (vigil.config), null for the embedded example */
    public LiveConfiguration(String householdLocation) {
        this.householdLocation = householdLocation;
    }

    @Override
    public void configure(CamelContext context) {
        LiveVersions versions = new LiveVersions(metrics);
        boolean enabled = settings.flag("vigil.live.enabled");
        Path file = householdLocation == null || householdLocation.startsWith("classpath:") ? null
                : Path.of(householdLocation);
        LiveHousehold live = new LiveHousehold(file, household, versions);
        live.onChange(decider::household);
        context.getRegistry().bind("liveHousehold", live);
        String routes = settings.optional("vigil.live.routes-dir").orElse("");
        if (enabled && !routes.isEmpty()) {
            try {
                context.addService(new LiveRoutes(routes, versions));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
