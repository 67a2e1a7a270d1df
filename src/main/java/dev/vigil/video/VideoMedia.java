package dev.vigil.video;

import org.apache.camel.Exchange;

/**
 * What the enrichment step hands the channels beside the alert, as exchange properties (copied to every
 * channel's exchange; never in the dead letters, which keep the alert as it was).
 */
public final class VideoMedia {

    /** The snapshot JPEG (byte[]), when the alert's snapshot is attached. */
    public static final String SNAPSHOT_JPEG = "VigilSnapshotJpeg";
    /** The frame JPEG as the camera gave it (no face box drawn), when a snapshot was fetched: the history's. */
    public static final String FRAME_JPEG = "VigilFrameJpeg";
    /** The {@link Clip}, for private channels only. */
    public static final String CLIP = "VigilClip";

    private VideoMedia() {
    }

    public static byte[] snapshot(Exchange exchange) {
        return exchange.getProperty(SNAPSHOT_JPEG, byte[].class);
    }

    public static byte[] frame(Exchange exchange) {
        return exchange.getProperty(FRAME_JPEG, byte[].class);
    }

    public static Clip clip(Exchange exchange) {
        return exchange.getProperty(CLIP, Clip.class);
    }
}
