package dev.vigil.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilRuntime;
import dev.vigil.testing.RunningVigil;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every record pays for beside its own steps (issue 15, BENCHMARKS.md "ratio"), on the runtime as the CLI
 * builds it: no exchange events (Camel would create an event object at every exchange and send as soon as one
 * notifier took them), no route policy on the per-record routes (the parser step counts the records), and one
 * route per record (a hop to direct:observation cost about a tenth of a record's time: BENCHMARKS.md "ratio,
 * session 6"); an alert for at most one channel does not leave the deciding thread (BENCHMARKS.md "decision rate,
 * session 7").
 */
class PerRecordOverheadTest {

    @TempDir
    Path dir;

    @Test
    void theDecisionRoutesRunWithoutExchangeEventsAndWithoutRouteTimers() throws Exception {
        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.http.enabled", "false",
                "vigil.data.dir", dir.toString()));
        main.start();
        try {
            CamelContext context = main.getCamelContext();
            assertFalse(context.getCamelContextExtension().isEventNotificationApplicable(),
                    "no notifier takes exchange events: " + context.getManagementStrategy().getEventNotifiers());
            assertEquals(List.of(), policies(context, "decide"), "records are counted by the parser step");
            assertEquals(List.of(), policies(context, "decideObservation"));
            assertEquals(List.of("process", "process", "filter"), steps(context, "decide"),
                    "a record is parsed and decided in the decide route, not handed to another route");
        } finally {
            main.stop();
        }
    }

    @Test
    void anAlertForOneChannelIsDeliveredOnTheDecidingThread() throws Exception {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, String> consoleOnly = Map.of("vigil.http.enabled", "false", "vigil.console.enabled", "true");
        try (RunningVigil vigil = new RunningVigil(dir, consoleOnly, main -> main.configure().addConfiguration(
                new CamelConfiguration() {
                    @Override
                    public void configure(CamelContext context) {
                        context.addRoutePolicyFactory((camel, routeId, route) -> !"deliverConsole".equals(routeId) ? null
                                : new RoutePolicySupport() {
                                    @Override
                                    public void onExchangeBegin(Route r, Exchange exchange) {
                                        threads.add(Thread.currentThread().getName());
                                    }
                                });
                    }
                }))) {
            int before = recipientListThreads();
            vigil.sampleDay();
            assertTrue(threads.size() >= 5, "the sample day's alerts reached the console: " + threads);
            assertEquals(List.of(Thread.currentThread().getName()), threads.stream().distinct().toList(),
                    "one channel: no hand-over to the recipient list's pool and back per alert");
            assertEquals(before, recipientListThreads(), "no recipient-list thread was started");
        }
    }

    private static int recipientListThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("RecipientList")).count();
    }

    /**
     * The top-level steps of a route by their YAML names, its route configuration's onException left out (a
     * {@code to} here would be a route hop per record).
     */
    private static List<String> steps(CamelContext context, String routeId) {
        RouteDefinition route = ((ModelCamelContext) context).getRouteDefinition(routeId);
        return route.getOutputs().stream().map(p -> p.getShortName()).filter(name -> !name.equals("onException")).toList();
    }

    private static List<String> policies(CamelContext context, String routeId) {
        return context.getRoute(routeId).getRoutePolicyList().stream().map(p -> p.getClass().getSimpleName()).toList();
    }
}
