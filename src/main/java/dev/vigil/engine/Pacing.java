package dev.vigil.engine;

import java.time.Duration;

/**
 * How the image engine spends calls (vigil.image.*): frames are fetched every {@code activePoll} while there
 * is motion (or a trigger) and every {@code idlePoll} otherwise. Within a motion episode DetectFaces runs
 * {@code detectInterval} apart, the first one {@code detectInterval} after the motion started; each DetectFaces that finds no face doubles the gap (up to
 * {@code detectIntervalMax}: a passing car or a cat costs few calls), one that finds a face shortens it to
 * {@code followUp} (the next frame confirms the face, so visits are decided quickly). Once
 * {@code facesPerEpisode} frames with faces were searched the episode pauses for {@code recheckAfter} (the
 * visit is decided by then; a newcomer is caught at the recheck). An episode ends after {@code episodeGap}
 * without motion. On the slow budget level every interval is multiplied by {@code slowFactor}.
 */
public record Pacing(Duration activePoll, Duration idlePoll, Duration activeFor, Duration detectInterval,
                     Duration detectIntervalMax, Duration followUp, int facesPerEpisode, Duration recheckAfter,
                     Duration episodeGap, int slowFactor) {

    public static final Pacing DEFAULT = new Pacing(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(1), 2, Duration.ofSeconds(60),
            Duration.ofSeconds(10), 4);

    public Duration slowed(Duration d, CostMeter.Level level) {
        return level == CostMeter.Level.NORMAL ? d : d.multipliedBy(slowFactor);
    }
}
