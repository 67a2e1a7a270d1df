package dev.vigil.live;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;

/**
 * Camel's route reload (the file watcher of camel.main.routesReload*) for {@code routes/}, made safe: a saved
 * file reloads the routes it defines (the others keep running); when it does not load (bad YAML, an unknown
 * step, a bean that does not exist) the edit is refused with Camel's message and the last version that loaded
 * is put back, so the running routes stay as they were.
 */
public class LiveRoutes extends RouteWatcherReloadStrategy {

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
            super.onRouteReload(List.of(resource), false);
            lastGood.put(name, content);
            refused.remove(name);
            versions.live(name, version, true);
        } catch (RuntimeException e) {
            refused.put(name, version);
            versions.refused(name, version, e.getMessage());
            byte[] good = lastGood.get(name);
            if (good != null) {
                super.onRouteReload(List.of(ResourceHelper.fromBytes(resource.getLocation(), good)), false);
            }
        }
    }

    private static String name(Path f) {
        return "routes/" + f.getFileName();
    }
}
