package dev.vigil.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicy;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * vigil.metrics.route-exclude: the per-record decision routes get no Camel route timer at all (not even one that
 * is asked at every exchange and does nothing), every other route keeps its timer.
 */
class RouteMetricsExcludeTest {

    @Test
    void excludedRoutesGetNoRoutePolicyOthersKeepTheirTimer() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            MicrometerRoutePolicyFactory micrometer = new MicrometerRoutePolicyFactory();
            micrometer.setMeterRegistry(new SimpleMeterRegistry());
            context.addRoutePolicyFactory(micrometer);
            Observability.excludeFromRouteMetrics(context, "decide, decideObservation");
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:record").routeId("decide").to("direct:observation");
                    from("direct:observation").routeId("decideObservation").log("observed");
                    from("direct:deliver").routeId("deliver").log("delivered");
                }
            });
            context.start();
            assertEquals(0, context.getRoute("decide").getRoutePolicyList().size());
            assertEquals(0, context.getRoute("decideObservation").getRoutePolicyList().size());
            assertTrue(context.getRoute("deliver").getRoutePolicyList().stream().anyMatch(p -> p instanceof MicrometerRoutePolicy),
                    "other routes keep Camel's route timer");
        }
    }
}
