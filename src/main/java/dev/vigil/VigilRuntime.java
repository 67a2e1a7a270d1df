package dev.vigil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * Builds the Camel runtime: properties from {@code config/} (the file system copy when present, else the
 * one packaged in the jar), then the profile's file; routes from {@code routes/} likewise.
 * Environment variables override any {@code vigil.*} property: VIGIL_DATA_DIR for vigil.data.dir.
 */
public final class VigilRuntime {

    private VigilRuntime() {
    }

    /**
     * Starts a runtime {@link #create} built. When the start fails the runtime is stopped before the failure is
     * thrown, and the alert history closed, waited for: it opens on a thread of its own beside the start
     * ({@code OpeningHistoryStore}), and a JVM that exits on the failure would kill it in the middle of creating
     * or migrating the history of a fresh data directory.
     */
    public static void start(Main main) throws Exception {
        try {
            main.start();
        } catch (Exception e) {
            try {
                main.stop();
                if (main.getCamelContext() != null) {
                    main.getCamelContext().getRegistry().findByType(dev.vigil.history.HistoryStore.class)
                            .forEach(dev.vigil.history.HistoryStore::close);
                }
            } catch (Exception stop) {
                e.addSuppressed(stop);
            }
            throw e;
        }
    }

    public static Main create(Map<String, String> overrides) {
        dev.vigil.config.HouseholdLoader.prepareInBackground(); // beside logging's and Camel's start (issue 15)
        String profile = System.getProperty("vigil.profile", System.getenv().getOrDefault("VIGIL_PROFILE", "local"));
        String routes = overrides.getOrDefault("vigil.routes.dir",
                System.getProperty("vigil.routes.dir", System.getenv().getOrDefault("VIGIL_ROUTES_DIR", "routes")));
        Main main = new Main();
        main.setPropertyPlaceholderLocations(String.join(",",
                "file:config/application-" + profile + ".properties;optional=true",
                "classpath:config/application-" + profile + ".properties;optional=true",
                "file:config/application.properties;optional=true",
                "classpath:config/application.properties")); // the first location that has a key wins
        main.configure().addConfiguration(VigilConfiguration.class);
        boolean routesOnDisk = Files.isDirectory(Path.of(routes));
        if (routesOnDisk) {
            routes = realPath(routes); // a symbolic link (a mounted or shared routes/): Camel's scan would not follow it
            RoutesPreparation.startReading(Path.of(routes)); // Camel's YAML parser warmed beside logging's start (issue 15)
        }
        main.configure().withRoutesIncludePattern(routesOnDisk
                ? "file:" + routes + "/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        // live edits of routes/ (dev.vigil.live.LiveRoutes, Camel's route reload; vigil.live.enabled): only on disk
        main.addOverrideProperty("vigil.live.routes-dir", routesOnDisk ? routes : "");
        main.addOverrideProperty("vigil.profile", profile);
        main.addMainListener(new DecisionRoutes(routesOnDisk ? routes : "the jar (classpath:routes)")); // before the channels' templates
        main.addMainListener(new ChannelRoutes());
        main.addMainListener(new dev.vigil.aws.CloseClients()); // the image engine's and every SDK client, at stop
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    private static String realPath(String dir) {
        try {
            return Path.of(dir).toRealPath().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
