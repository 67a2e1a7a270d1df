package dev.vigil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Builds the Camel runtime: properties from {@code config/} (the file system copy when present, else the
 * one packaged in the jar), then the profile's file; routes from {@code routes/} likewise.
 * Environment variables override any {@code vigil.*} property: VIGIL_DATA_DIR for vigil.data.dir.
 */
public final class VigilRuntime {

    private VigilRuntime() {
    }

    public static Main create(Map<String, String> overrides) {
        String profile = System.getProperty("vigil.profile", System.getenv().getOrDefault("VIGIL_PROFILE", "local"));
        String routes = overrides.getOrDefault("vigil.routes.dir",
                System.getProperty("vigil.routes.dir", System.getenv().getOrDefault("VIGIL_ROUTES_DIR", "routes")));
        Main main = new VigilMain();
        main.setPropertyPlaceholderLocations(String.join(",",
                "file:config/application-" + profile + ".properties;optional=true",
                "classpath:config/application-" + profile + ".properties;optional=true",
                "file:config/application.properties;optional=true",
                "classpath:config/application.properties")); // the first location that has a key wins
        main.configure().addConfiguration(VigilConfiguration.class);
        boolean routesOnDisk = Files.isDirectory(Path.of(routes));
        main.configure().withRoutesIncludePattern(routesOnDisk
                ? "file:" + routes + "/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        // live edits of routes/ (dev.vigil.live.LiveRoutes, Camel's route reload; vigil.live.enabled): only on disk
        main.addOverrideProperty("vigil.live.routes-dir", routesOnDisk ? routes : "");
        main.addOverrideProperty("vigil.profile", profile);
        main.addMainListener(new ChannelRoutes());
        main.addMainListener(new dev.vigil.aws.CloseClients()); // the image engine's and every SDK client, at stop
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /**
     * Camel's main without the pre-parse of every route file that it runs before loading the routes (issue 15,
     * start-up): it reads each YAML file a second time to find Camel K modelines, Pipe/Integration resources
     * and {@code beans:} blocks to bind early. Vigil's routes are plain route lists and modelines are off
     * ({@code camel.main.modeline}); a {@code beans:} block is still bound when its file loads. The pre-parse
     * was about 8% of a start's CPU (docs/start-up.md). With {@code camel.main.modeline=true} it runs as before.
     */
    static final class VigilMain extends Main {
        @Override
        protected void modelineRoutes(CamelContext camelContext) throws Exception {
            if (configure().isModeline()) {
                super.modelineRoutes(camelContext);
            }
        }
    }
}
