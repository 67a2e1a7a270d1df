package dev.vigil.operate;

import dev.vigil.ApiToken;
import dev.vigil.config.AreaConfiguration;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.ingest.kinesis.KinesisSourceHealth;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;

/**
 * What an operator watches beyond Camel's own checks: the readiness check of the Kinesis source (bean
 * {@value KinesisSourceHealth#NAME}, when vigil.kinesis.enabled) and the delivery events (per-channel metrics
 * and one log line per alert sent or dead-lettered). Comes last: the image-engine area may switch the
 * Kinesis source off.
 */
public class ObservabilityConfiguration extends AreaConfiguration {

    @BindToRegistry(KinesisSourceHealth.NAME)
    public KinesisSourceHealth kinesisSourceHealth() {
        KinesisSourceHealth check = new KinesisSourceHealth(
                settings.positiveDuration("vigil.health.kinesis.read-stale-after"), clock);
        return settings.flag("vigil.kinesis.enabled") ? check : null;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        DeliveryEvents events = new DeliveryEvents(metrics, household);
        context.addRoutePolicyFactory(events);
        RekognitionRecordParser parser = context.getRegistry().lookupByNameAndType("rekognitionRecordParser",
                RekognitionRecordParser.class);
        if (parser != null) { // the decision route's first step counts its records (vigil_records_total)
            parser.countRecords(events::recordCounted);
        }
        Observability.excludeFromRouteMetrics(context, settings.optional(Observability.ROUTE_METRICS_EXCLUDE).orElse(""));
        Observability.routeEventsOnly(context);
        if (settings.flag("vigil.http.enabled")) { // health detail only with the API token (HealthDetailGate)
            context.addStartupListener(new HealthDetailGate(ApiToken.of(settings), settings.whole("camel.server.port", 0, 65535)));
        }
    }
}
