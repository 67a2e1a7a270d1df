package dev.vigil.provision;

import java.util.List;

/**
 * One step of a plan.
 *
 * @param desired what the household file asks for (null for a delete)
 * @param current what exists (null for a create)
 * @param details human-readable lines: the attributes set or changed
 */
public record Change(Action action, Resource desired, Resource current, List<String> details) {

    public enum Action {
        CREATE("+"), UPDATE("~"), REPLACE("-/+"), DELETE("-");

        private final String symbol;

        Action(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public Change {
        details = List.copyOf(details);
    }

    public Resource resource() {
        return desired != null ? desired : current;
    }

    public Kind kind() {
        return resource().kind();
    }

    public String name() {
        return resource().name();
    }
}
