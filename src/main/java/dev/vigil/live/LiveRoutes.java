package dev.vigil.live;

import dev.vigil.DecisionRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.util.FileUtil;

/**
 * Camel's route reload (the file watcher of camel.main.routesReload*) for {@code routes/}, made safe: a saved
 * file reloads the routes it defines (the others keep running); when it does not load (bad YAML, an unknown
 * step, a bean that does not exist) the edit is refused with Camel's message and the last version that loaded
 * is put back, so the running routes stay as they were.
 */
public class LiveRoutes extends RouteWatcherReloadStrategy {

    private static final String TRIAL = "liveTrial-";

    private final LiveVersions versions;
    private final Map<String, byte[]> lastGood = new ConcurrentHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    public LiveRoutes(String directory, LiveVersions versions) {
        super(directory, false);
        this.versions = versions;
        setPattern("*.camel.yaml");
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(getFolder()))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).toList()) {
                byte[] content = Files.readAllBytes(f);
                lastGood.put(name(f), content);
                versions.live(name(f), LiveVersions.version(content), false);
            }
        }
        super.doStart();
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources == null || resources.size() != 1 || removeEverything) {
            super.onRouteReload(resources, removeEverything);
            return;
        }
        Resource resource = resources.iterator().next();
        Path file = Path.of(resource.getURI());
        String name = name(file);
        byte[] content;
        try (InputStream in = resource.getInputStream()) {
            content = in.readAllBytes();
        } catch (IOException e) {
            return; // deleted or being written; the next event brings it
        }
        if (content.length == 0) {
            return; // caught mid-save (truncated, not yet written): the write that follows brings the content
        }
        String version = LiveVersions.version(content);
        if (version.equals(versions.inForce(name)) || version.equals(refused.get(name))) {
            return; // the file watcher reports one save as several changes
        }
        try {
            trial(resource);
        } catch (Exception e) {
            refused.put(name, version); // the running routes were not touched
            versions.refused(name, version, String.valueOf(e.getMessage()).replace(TRIAL, ""));
            return;
        }
        try {
            super.onRouteReload(List.of(resource), false);
            lastGood.put(name, content);
            refused.remove(name);
            versions.live(name, version, true);
        } catch (RuntimeException e) {
            // what the trial could not see (a REST definition): Camel removed the file's running routes before
            // the new ones failed, so the last good version is put back before the refusal is reported
            refused.put(name, version);
            byte[] good = lastGood.get(name);
            if (good != null) {
                super.onRouteReload(List.of(ResourceHelper.fromBytes(resource.getLocation(), good)), false);
            }
            versions.refused(name, version, e.getMessage());
        }
    }

    /**
     * Creates the file's routes beside the running ones, under other ids and not started, then removes them: an
     * edit that does not load (a bad step or option, an unknown bean or endpoint option) fails here, before Camel
     * stops the running version. Only when it loads are the running routes replaced, so a refused edit of a
     * source such as the Kinesis route never restarts it. REST definitions are checked by the reload itself.
     */
    private void trial(Resource resource) throws Exception {
        CamelContext context = getCamelContext();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Set<String> endpoints = Set.copyOf(context.getEndpointRegistry().keySet().stream().map(Object::toString).toList());
        List<RouteDefinition> after = new ArrayList<>(); // the routes once the edit is in force
        for (RouteDefinition running : model.getRouteDefinitions()) {
            if (!fileName(running).equals(fileName(resource.getLocation()))) {
                after.add(running);
            }
        }
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource))) {
            if (!(builder instanceof RouteBuilder routes)) {
                continue;
            }
            for (RouteDefinition route : routes.configureRoutes(context).getRoutes()) {
                after.add(route);
                route.setId(TRIAL + route.getId());
                route.setAutoStartup("false");
                try {
                    model.addRouteDefinition(route);
                } finally {
                    model.removeRouteDefinition(route); // stops and removes the route if it was created
                }
            }
        }
        for (Endpoint endpoint : List.copyOf(context.getEndpoints())) {
            if (!endpoints.contains(endpoint.getEndpointUri()) && endpoint.getEndpointUri() != null) {
                context.removeEndpoint(endpoint); // the trial's own endpoints (an edited URI)
            }
        }
        List<String> missing = DecisionRoutes.missing(after);
        if (!missing.isEmpty()) { // as start-up refuses routes that cannot decide (DecisionRoutes)
            throw new IllegalArgumentException("the edit leaves no decision route: nothing would consume "
                    + String.join(" or ", missing) + ", so no record would be decided");
        }
    }

    /** The file a running route was loaded from (the routes of one directory: names are unique). */
    private static String fileName(RouteDefinition route) {
        return route.getResource() == null ? "" : fileName(route.getResource().getLocation());
    }

    private static String fileName(String location) {
        return location == null ? "" : FileUtil.stripPath(location);
    }

    private static String name(Path f) {
        return "routes/" + f.getFileName();
    }
}
