package dev.vigil.operate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.PatternHelper;

/**
 * What an operator watches, on the observability server ({@code vigil.http.port}): the Prometheus registry
 * behind {@code /observe/metrics} (bean {@code metricsRegistry}, with the JVM's meters), the readiness
 * check of the Kinesis source, and the delivery events (per-channel metrics and one log line per alert
 * sent or dead-lettered). Every {@link org.apache.camel.health.HealthCheck} bean bound in the registry
 * (a channel's circuit breaker, the stream processors) joins {@code /observe/health/ready} on its own.
 */
public final class Observability {

    private Observability() {
    }

    /**
     * The meter registry every Vigil meter goes to, scraped in the Prometheus text format: the one Camel's
     * metrics service (camel.metrics.enabled) bound as {@code metricsRegistry}, else a new one.
     */
    public static MeterRegistry meterRegistry(CamelContext context) {
        Object bound = context.getRegistry().lookupByName("metricsRegistry");
        if (bound instanceof PrometheusMeterRegistry existing) {
            bindJvm(existing);
            return existing;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindJvm(registry);
        return registry;
    }

    private static void bindJvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Camel's route event notifier (camel.metrics.enableRouteEventNotifier: routes added, running, reloaded) only
     * reads route events, but as it comes it takes exchange events too: for it Camel creates an event object and
     * asks it at every exchange's creation and completion and around every send, several times per record and
     * the only reason most of them exist (issue 15). It is told to ignore them; its metrics are unchanged.
     */
    public static void routeEventsOnly(CamelContext context) {
        for (EventNotifier n : context.getManagementStrategy().getEventNotifiers()) {
            if (n instanceof MicrometerRouteEventNotifier) {
                n.setIgnoreExchangeEvents(true);
                n.setIgnoreStepEvents(true);
            }
        }
    }

    /** Routes left out of Camel's per-route timers (camel_*), comma-separated route id patterns. */
    public static final String ROUTE_METRICS_EXCLUDE = "vigil.metrics.route-exclude";

    /**
     * Camel's route policy times every exchange of every route; per exchange it formats a property name and
     * sets and removes an exchange property, about a fifth of the per-record cost of the decision routes
     * (BENCHMARKS.md, issue 15). The per-record routes are counted by vigil_records_total and
     * vigil_observations_total instead, so they are left out by default: they get no such policy at all (an
     * excluded policy would still be asked at the start and end of every exchange).
     */
    public static void excludeFromRouteMetrics(CamelContext context, String patterns) {
        if (patterns.isBlank()) {
            return;
        }
        String[] excluded = patterns.replace(" ", "").split(",");
        context.getRoutePolicyFactories().replaceAll(f -> {
            if (!(f instanceof MicrometerRoutePolicyFactory micrometer)) {
                return f;
            }
            micrometer.getPolicyConfiguration().setExcludePattern(String.join(",", excluded));
            return (RoutePolicyFactory) (camel, routeId, route) -> routeId != null
                    && PatternHelper.matchPatterns(routeId, excluded) ? null : micrometer.createRoutePolicy(camel, routeId, route);
        });
    }
}
