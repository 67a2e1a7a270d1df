package dev.vigil.engine;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Switches the embedded HTTP server (camel.server.enabled) on when the image engine's trigger endpoint is on,
 * before Camel reads its server settings; whatever else turned it on (snapshots) stays on.
 */
public final class HttpServerSwitch extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent props = main.getCamelContext().getPropertiesComponent();
        if (Boolean.parseBoolean(props.resolveProperty("vigil.image.trigger.enabled").orElse("false").trim())) {
            main.addOverrideProperty("camel.server.enabled", "true");
        }
    }
}
