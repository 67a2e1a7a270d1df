package dev.vigil.live;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live edits of the household file (bean {@code liveHousehold}, route liveHousehold in 06-live-household): when
 * the file's content changed, it is loaded and checked exactly as at start-up; a valid file is applied (people,
 * cameras' thresholds, policy, arming schedule, presence, Home Assistant entities), a bad one is refused with
 * the start-up message and the version in force stays. Channels and the cameras' streams apply at the next start.
 */
public class LiveHousehold {

    private static final Logger LOG = LoggerFactory.getLogger("live");

    private final Path file;
    private final LiveVersions versions;
    private final List<Consumer<Household>> appliers = new CopyOnWriteArrayList<>();
    private volatile Household current;
    private volatile String version;
    private String refused;

    /** @param file the household file, or null for the embedded example (never edited) */
    public LiveHousehold(Path file, Household current, LiveVersions versions) {
        this.file = file;
        this.current = current;
        this.versions = versions;
        this.version = file == null ? "embedded" : LiveVersions.version(read());
        versions.live(name(), version, false);
    }

    /** Runs for each household that goes live (after the decision's own household has been swapped in). */
    public void onChange(Consumer<Household> applier) {
        appliers.add(applier);
    }

    public Household current() {
        return current;
    }

    /** Applies the file if it changed since the version in force (and was not refused already). */
    public synchronized void check() {
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        byte[] content = read();
        String next = LiveVersions.version(content);
        if (next.equals(version) || next.equals(refused)) {
            return;
        }
        Household h;
        try {
            h = HouseholdLoader.load(file.toString());
        } catch (ConfigException e) {
            refused = next;
            versions.refused(name(), next, e.getMessage());
            return;
        }
        if (!h.channels().equals(current.channels())) {
            LOG.warn("Live edit: {}: channels changed; they apply at the next start", name());
        }
        for (Consumer<Household> a : appliers) {
            a.accept(h);
        }
        current = h;
        version = next;
        refused = null;
        versions.live(name(), next, true);
    }

    private String name() {
        return file == null ? "household" : "household " + file.getFileName();
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
