package dev.vigil.decide;

import org.apache.camel.spi.Registry;

/** The beans of the decision routes' mechanics (issue 15): the {@code nonEmpty} and {@code onlyElement} list tests. */
public final class DecisionBeans {

    private DecisionBeans() {
    }

    public static void bind(Registry registry) {
        registry.bind("nonEmpty", new NonEmpty());
        registry.bind("onlyElement", new OnlyElement());
    }
}
