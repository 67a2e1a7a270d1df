package dev.vigil.arming;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.Household;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.CamelContext;

/** Binds the mode service ({@code arming}) and the mode API ({@code modeApi}, routes/51-api-mode). */
public final class ArmingBeans {

    private ArmingBeans() {
    }

    public static Arming bind(CamelContext context, Household household, ObjectMapper json, Clock clock, Path dataDir) {
        Arming arming = new Arming(dataDir, json, clock, household.policy().mode());
        context.getRegistry().bind("arming", arming);
        context.getRegistry().bind("modeApi", new ModeApi(arming, json));
        return arming;
    }
}
