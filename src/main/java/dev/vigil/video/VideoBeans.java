package dev.vigil.video;

import dev.vigil.aws.AwsClients;
import dev.vigil.config.Household;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Binds the video-enrichment beans routes/30-enrich.camel.yaml uses: {@code videoEnrichment} (always; it
 * does nothing while vigil.snapshot.enabled and vigil.clip.enabled are false) and {@code snapshotEndpoint}.
 * Snapshot URLs are served by the HTTP server on vigil.http.port, which is on whenever vigil.http.enabled.
 */
public final class VideoBeans {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VideoBeans.class);

    private VideoBeans() {
    }

    public static void bind(CamelContext context, PropertiesComponent props, Household household, AwsClients aws,
                            MeterRegistry metrics, Clock clock) {
        VideoSettings settings = VideoSettings.from(key -> props.resolveProperty(key).orElse(null));
        boolean anyPrivate = household.channels().webhooks().stream().anyMatch(w -> w.privateChannel())
                || (household.channels().email() != null && household.channels().email().privateChannel());
        if (settings.clips() && !anyPrivate) {
            LOG.info("vigil.clip.enabled, but no channel is marked private: true; no clip URLs are requested");
            settings = settings.withClips(false);
        }
        SnapshotStore store = new SnapshotStore(settings.keep(), clock);
        context.getRegistry().bind("snapshotStore", store);
        SnapshotTokens tokens = new SnapshotTokens(settings.signingKey());
        KvsMedia media = null;
        ExecutorService executor = null;
        if (settings.enabled()) {
            executor = context.getExecutorServiceManager().newThreadPool(VideoBeans.class, "video-enrichment", 2, 8);
            // one KvsMedia per runtime (bean kvsMedia, shared with the image engine): one endpoint cache, one
            // GetDataEndpoint rate limit per stream
            media = context.getRegistry().lookupByNameAndType("kvsMedia", KvsMedia.class);
        }
        if (settings.enabled() && media == null) {
            media = new KvsMedia(aws, settings.budget().multipliedBy(2).plusSeconds(1));
            context.getRegistry().bind("kvsMedia", media);
            KvsMedia toClose = media;
            try {
                context.addService(new org.apache.camel.support.service.ServiceSupport() {
                    @Override
                    protected void doStop() {
                        toClose.close();
                    }
                }, true);
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the Kinesis Video clients for shutdown", e);
            }
        }
        VideoEnrichment enrichment = new VideoEnrichment(settings, household, media, store, tokens, executor, metrics, clock);
        context.getRegistry().bind("videoEnrichment", enrichment);
        enrichment.warmUp();
        context.getRegistry().bind("snapshotEndpoint", new SnapshotEndpoint(store, tokens, clock));
    }
}
