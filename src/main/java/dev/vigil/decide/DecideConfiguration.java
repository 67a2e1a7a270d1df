package dev.vigil.decide;

import dev.vigil.arming.Arming;
import dev.vigil.config.AreaConfiguration;
import dev.vigil.config.Settings;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;

/**
 * The decision step ({@code decider}, routes/20-decide) with its frame gate from {@code vigil.decide.*}
 * (docs/deciding.md), deciding in the mode the mode service holds, and the camera clock health check.
 */
public class DecideConfiguration extends AreaConfiguration {

    @BeanInject("arming")
    Arming arming;

    private FrameGate frames;

    @BindToRegistry
    public Decider decider() {
        return new Decider(household, frames(), metrics, arming::mode);
    }

    @BindToRegistry
    public NonEmpty nonEmpty() {
        return new NonEmpty();
    }

    @BindToRegistry(CameraClocksHealthCheck.ID)
    public CameraClocksHealthCheck cameraClocks() {
        return new CameraClocksHealthCheck(frames(), settings.duration("vigil.health.camera-clock-off-for"), clock);
    }

    private FrameGate frames() {
        if (frames == null) {
            frames = new FrameGate(rules(settings), metrics);
        }
        return frames;
    }

    /** The frame gate's rules; a bad value stops start-up naming its key. */
    static FrameGate.Rules rules(Settings settings) {
        return new FrameGate.Rules(settings.duration("vigil.decide.reorder-window"),
                settings.duration("vigil.decide.future-tolerance"), settings.duration("vigil.decide.late-horizon"),
                settings.whole("vigil.decide.frame-memory", 1));
    }
}
