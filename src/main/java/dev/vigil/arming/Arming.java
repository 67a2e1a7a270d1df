package dev.vigil.arming;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mode service: the household's current arming mode (home, away, night) and why it is in force. The
 * decision's policy reads it for every alert ({@link #mode()}); the API, the Home Assistant select, the
 * schedule and presence change it ({@link #set}). Kept in {@code <vigil.data.dir>/arming/mode.json} so a
 * restart keeps the mode; until anything changes it, the household file's {@code policy.mode} is in force.
 */
public class Arming {

    private static final Logger LOG = LoggerFactory.getLogger(Arming.class);

    private final Path file;
    private final ObjectMapper json;
    private final Clock clock;
    private final List<Consumer<ModeState>> listeners = new CopyOnWriteArrayList<>();
    private volatile ModeState state;

    public Arming(Path dataDir, ObjectMapper json, Clock clock, Policy.Mode householdMode) {
        this.file = dataDir.resolve("arming").resolve("mode.json");
        this.json = json;
        this.clock = clock;
        this.state = restore(householdMode);
    }

    /** The mode alerts are decided in now. */
    public Policy.Mode mode() {
        return state.mode();
    }

    public ModeState state() {
        return state;
    }

    /**
     * Puts {@code mode} in force for {@code reason}; persisted before listeners (the MQTT state topic) hear of
     * it. Setting the mode already in force changes nothing (not even the reason).
     *
     * @return the state now in force
     */
    public synchronized ModeState set(Policy.Mode mode, ModeState.Reason reason, String detail) {
        if (state.mode() == mode && state.reason() != ModeState.Reason.DEFAULT) {
            return state;
        }
        ModeState next = new ModeState(mode, reason, clock.instant(), detail);
        write(next);
        state = next;
        LOG.info("Arming mode {} ({}: {})", next.modeName(), reason.wire(), detail);
        listeners.forEach(l -> l.accept(next));
        return next;
    }

    /**
     * The household file's policy.mode changed (a live edit): it is put in force when nothing else set the
     * mode since (reason default).
     */
    public synchronized void householdMode(Policy.Mode mode) {
        if (state.reason() == ModeState.Reason.DEFAULT && state.mode() != mode) {
            ModeState next = new ModeState(mode, ModeState.Reason.DEFAULT, clock.instant(), "household file");
            state = next;
            listeners.forEach(l -> l.accept(next));
        }
    }

    /** Called after every change of mode (on the changing thread). */
    public void onChange(Consumer<ModeState> listener) {
        listeners.add(listener);
    }

    private ModeState restore(Policy.Mode householdMode) {
        if (Files.isRegularFile(file)) {
            try {
                ModeState saved = json.readValue(file.toFile(), ModeState.class);
                if (saved.mode() != null && saved.reason() != null && saved.reason() != ModeState.Reason.DEFAULT) {
                    LOG.info("Arming mode {} ({}: {}) restored from {}", saved.modeName(), saved.reason().wire(),
                            saved.detail(), file);
                    return saved;
                }
            } catch (IOException e) {
                LOG.warn("Arming: {} cannot be read ({}); the household file's mode {} is in force", file,
                        e.getClass().getSimpleName(), householdMode.name().toLowerCase());
            }
        }
        return new ModeState(householdMode, ModeState.Reason.DEFAULT, clock.instant(), "household file");
    }

    private void write(ModeState s) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("mode.json.tmp");
            Files.write(tmp, json.writeValueAsBytes(s));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the arming mode in " + file + ": " + e.getMessage(), e);
        }
    }
}
