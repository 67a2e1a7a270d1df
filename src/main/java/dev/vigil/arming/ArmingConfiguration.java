package dev.vigil.arming;

import dev.vigil.config.AreaConfiguration;
import org.apache.camel.BindToRegistry;

/** The mode service ({@code arming}, read by the decider for every alert) and the mode API ({@code modeApi}, routes/54-api-mode). */
public class ArmingConfiguration extends AreaConfiguration {

    private Arming arming;

    @BindToRegistry
    public Arming arming() {
        if (arming == null) {
            arming = new Arming(dataDir, json, clock, household.policy().mode());
        }
        return arming;
    }

    @BindToRegistry
    public ModeApi modeApi() {
        return new ModeApi(arming(), json);
    }
}
