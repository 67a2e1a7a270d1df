package dev.vigil;

import dev.vigil.config.ConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * Stops start-up when the loaded routes cannot decide anything: no route consumes {@code direct:record} (the
 * stream processor's records, route {@code decide}) or {@code direct:observation} (every engine's face
 * observations, route {@code decideObservation}), both in {@code routes/20-decide.camel.yaml}. Without them Vigil
 * would start, report ready and drop every record (a routes directory that is empty, mounted wrong, or missing
 * that file). Checked once the routes are loaded, before the context starts: a look through the route
 * definitions, nothing created.
 */
public final class DecisionRoutes extends MainListenerSupport {

    /** The endpoints the decision routes consume, with the route ids 20-decide.camel.yaml gives them. */
    static final List<String[]> REQUIRED = List.of(
            new String[] {"direct:record", "decide"}, new String[] {"direct:observation", "decideObservation"});

    private final String routes;

    /** @param routes where the routes were loaded from, for the message (a directory, or the packaged copies) */
    DecisionRoutes(String routes) {
        this.routes = routes;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        check(main.getCamelContext(), routes);
    }

    static void check(CamelContext context, String routes) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<String> missing = missing(model.getRouteDefinitions());
        if (!missing.isEmpty()) {
            int loaded = model.getRouteDefinitions().size();
            throw new ConfigException("vigil.routes.dir: the " + loaded + " route(s) loaded from " + routes
                    + " have no decision route: nothing consumes " + String.join(" or ", missing)
                    + ", so no record would be decided. Point VIGIL_ROUTES_DIR at a directory with Vigil's routes"
                    + " (the decision routes are in 20-decide.camel.yaml), or leave it unset to run the packaged ones.");
        }
    }

    /**
     * The decision endpoints no route of {@code definitions} consumes, each as "direct:record (route decide)";
     * empty when they can decide (also LiveRoutes' check of an edit).
     */
    public static List<String> missing(Collection<RouteDefinition> definitions) {
        Set<String> consumed = definitions.stream()
                .filter(r -> r.getInput() != null && r.getInput().getEndpointUri() != null)
                .map(r -> normalise(r.getInput().getEndpointUri()))
                .collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (String[] required : REQUIRED) {
            if (!consumed.contains(required[0])) {
                missing.add(required[0] + " (route " + required[1] + ")");
            }
        }
        return missing;
    }

    /**
     * The endpoint a route consumes, written one way: {@code direct://record?x=y} and {@code direct:record} are the
     * same consumer (also how DeliveryEvents picks the routes it watches).
     */
    public static String normalise(String uri) {
        String u = uri.replaceFirst("^([a-zA-Z0-9+.-]+):/+", "$1:");
        int query = u.indexOf('?');
        return query < 0 ? u : u.substring(0, query);
    }
}
