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

}
