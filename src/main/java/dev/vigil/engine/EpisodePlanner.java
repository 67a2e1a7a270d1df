package dev.vigil.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * One camera's decisions about which sampled frames are worth a Rekognition call: the same logic for the
 * live engine and for {@code vigil cost-report}. Works in the frames' own time. Not thread-safe: one
 * camera's frames are handled one at a time.
 */
public final class EpisodePlanner {

    /** What to do with a frame. */
    public enum Action {
        /** nothing: no motion, or this episode has had enough calls for now */
        SKIP,
        /** DetectFaces, then SearchFacesByImage per face */
        DETECT,
        /** the budget is spent: report the motion without identity */
        MOTION_ONLY
    }

    private final Pacing pacing;
    private Instant lastMotion;
    private Instant episodeStart;
    private Instant lastDetect;
    private Instant pausedUntil;
    private Instant triggeredUntil;
    private int faceFrames;
    private Duration gap;

    public EpisodePlanner(Pacing pacing) {
        this.pacing = pacing;
    }

    /** A frame at {@code t}, with or without motion, on the camera's budget level. */
    public Action onFrame(Instant t, boolean motion, CostMeter.Level level) {
        if (!motion) {
            return Action.SKIP;
        }
        if (lastMotion == null || Duration.between(lastMotion, t).compareTo(pacing.episodeGap()) > 0) {
            episodeStart = t;
            faceFrames = 0;
            pausedUntil = null;
            // the first call comes a gap after motion starts: a flicker ends before it, and whatever enters at
            // the edge of the picture rarely shows a usable face on its first frame
            lastDetect = t;
            gap = pacing.detectInterval();
        }
        lastMotion = t;
        if (level == CostMeter.Level.MOTION_ONLY) {
            return Action.MOTION_ONLY;
        }
        if (pausedUntil != null && t.isBefore(pausedUntil)) {
            return Action.SKIP;
        }
        if (lastDetect != null && Duration.between(lastDetect, t).compareTo(pacing.slowed(gap, level)) < 0) {
            return Action.SKIP;
        }
        lastDetect = t;
        return Action.DETECT;
    }

    /**
     * What DetectFaces found on the frame at {@code t}: no face widens the gap to the next call, a face shortens
     * it, and enough frames with faces pause the episode.
     */
    public void detected(Instant t, int faces) {
        if (faces == 0) {
            Duration doubled = gap.multipliedBy(2);
            gap = doubled.compareTo(pacing.detectIntervalMax()) > 0 ? pacing.detectIntervalMax() : doubled;
        } else if (++faceFrames >= pacing.facesPerEpisode()) {
            pausedUntil = t.plus(pacing.recheckAfter());
            faceFrames = 0;
            gap = pacing.detectInterval();
        } else {
            gap = pacing.followUp();
        }
    }

    /** An external trigger (a camera's own motion sensor): sample at the active rate from now. */
    public void trigger(Instant now) {
        triggeredUntil = now.plus(pacing.activeFor());
    }

    /** Sampling fast: motion seen recently, or triggered. */
    public boolean active(Instant now) {
        return (lastMotion != null && now.isBefore(lastMotion.plus(pacing.activeFor())))
                || (triggeredUntil != null && now.isBefore(triggeredUntil));
    }

    /** How long to wait before fetching frames again. */
    public Duration pollEvery(Instant now, CostMeter.Level level) {
        return pacing.slowed(active(now) ? pacing.activePoll() : pacing.idlePoll(), level);
    }

    /** Start of the current motion episode (motion-only alerts are one per episode), or null. */
    public Instant episodeStart() {
        return episodeStart;
    }
}
