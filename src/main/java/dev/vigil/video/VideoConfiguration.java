package dev.vigil.video;

import dev.vigil.config.AreaConfiguration;
import java.util.concurrent.ExecutorService;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;

/**
 * The video-enrichment beans routes/30-enrich.camel.yaml uses: {@code videoEnrichment} (always; it does
 * nothing while vigil.snapshot.enabled and vigil.clip.enabled are false), {@code snapshotEndpoint}, and, when
 * either is on, {@code kvsMedia} (shared with the image engine: one endpoint cache, one GetDataEndpoint rate
 * limit per stream). Snapshot URLs are served by the HTTP server on vigil.http.port (vigil.http.enabled).
 */
public class VideoConfiguration extends AreaConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VideoConfiguration.class);

    private VideoSettings video;
    private SnapshotStore store;
    private SnapshotTokens tokens;
    private KvsMedia media;

    @BindToRegistry
    public VideoEnrichment videoEnrichment(CamelContext context) throws Exception {
        VideoSettings s = video();
        ExecutorService executor = s.enabled()
                ? context.getExecutorServiceManager().newThreadPool(VideoConfiguration.class, "video-enrichment", 2, 8)
                : null;
        VideoEnrichment enrichment = new VideoEnrichment(s, household, kvsMedia(context), store, tokens, executor,
                metrics, clock);
        enrichment.warmUp();
        return enrichment;
    }

    /** The snapshots of recent alerts (the history keeps the deciding frame's crop from here). */
    @BindToRegistry
    public SnapshotStore snapshotStore() {
        video();
        return store;
    }

    @BindToRegistry
    public SnapshotEndpoint snapshotEndpoint() {
        video();
        return new SnapshotEndpoint(store, tokens, clock);
    }

    /** The shared KvsMedia ({@link KvsMedia#shared}) when snapshots or clips are on; null otherwise. */
    KvsMedia kvsMedia(CamelContext context) {
        if (media == null && video().enabled()) {
            media = KvsMedia.shared(context, aws, video.budget().multipliedBy(2).plusSeconds(1));
        }
        return media;
    }

    private VideoSettings video() {
        if (video == null) {
            VideoSettings s = VideoSettings.from(settings);
            boolean anyPrivate = household.channels().webhooks().stream().anyMatch(w -> w.privateChannel())
                    || (household.channels().email() != null && household.channels().email().privateChannel());
            if (s.clips() && !anyPrivate) {
                LOG.info("vigil.clip.enabled, but no channel is marked private: true; no clip URLs are requested");
                s = s.withClips(false);
            }
            video = s;
            store = new SnapshotStore(s.keep(), clock);
            tokens = new SnapshotTokens(s.signingKey());
        }
        return video;
    }
}
