package dev.vigil.teach;

import dev.vigil.history.HistoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Strangers expire with the unknown-face retention (household file retention.unknownFaces, 7 days by
 * default): a face in the strangers collection whose alert was observed longer ago, or is no longer in the
 * history, is deleted (routes/47-strangers.camel.yaml: at start and every vigil.strangers.expiry-period).
 */
public class StrangerRetention {

    private static final Logger LOG = LoggerFactory.getLogger(StrangerRetention.class);

    private final Strangers strangers;
    private final HistoryStore history;
    private final Duration keep;
    private final Clock clock;

    public StrangerRetention(Strangers strangers, HistoryStore history, Duration keep, Clock clock) {
        this.strangers = strangers;
        this.history = history;
        this.keep = keep;
        this.clock = clock;
    }

    /** @return how many stranger faces were deleted; a failure is logged (class and AWS code) and retried next run */
    public int expire() {
        try {
            return expireNow();
        } catch (RuntimeException e) {
            LOG.warn("Strangers: expiry skipped this run ({}{})", e.getClass().getSimpleName(),
                    e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
                            && aws.awsErrorDetails() != null ? " " + aws.awsErrorDetails().errorCode() : "");
            return 0;
        }
    }

    private int expireNow() {
        Instant before = clock.instant().minus(keep);
        Set<String> expired = strangers.faces(id -> id == null || history.get(id)
                .map(r -> r.observedAt().isBefore(before)).orElse(true)).stream()
                .map(f -> f.faceId()).collect(Collectors.toSet());
        int deleted = expired.isEmpty() ? 0 : strangers.deleteFaces(java.util.List.copyOf(expired));
        if (deleted > 0) {
            LOG.info("Strangers: {} face(s) older than {} deleted from {}", deleted, keep, strangers.collection());
        }
        return deleted;
    }
}
