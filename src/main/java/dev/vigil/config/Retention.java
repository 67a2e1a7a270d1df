package dev.vigil.config;

import java.time.Duration;

/**
 * How long Vigil keeps each class of data it holds (household file, {@code retention:}; every key optional).
 * Enforced at start and by the scheduled retention route (routes/46-history.camel.yaml).
 *
 * @param unknownFaces face crops and snapshots of alerts not about a known person (unknown, suspected,
 *                     unidentifiable...): default 7 days
 * @param knownFaces   face crops and snapshots of alerts about known people: default 24 hours
 * @param alerts       alert records (with whatever images are left): default 90 days
 * @param audit        audit records (data dir audit/*.jsonl): default 2 years (730 days)
 */
public record Retention(Duration unknownFaces, Duration knownFaces, Duration alerts, Duration audit) {

    public static final Retention DEFAULT = new Retention(null, null, null, null);

    public Retention {
        unknownFaces = unknownFaces == null ? Duration.ofDays(7) : unknownFaces;
        knownFaces = knownFaces == null ? Duration.ofHours(24) : knownFaces;
        alerts = alerts == null ? Duration.ofDays(90) : alerts;
        audit = audit == null ? Duration.ofDays(730) : audit;
    }
}
