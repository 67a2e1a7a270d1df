package dev.vigil.video;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The snapshots Vigil serves, in memory: at most {@code capacity} (least recently used go first), each until it expires. */
public final class SnapshotStore {

    private record Entry(byte[] jpeg, Instant expiresAt) {
    }

    private final Map<String, Entry> entries;
    private final Clock clock;

    public SnapshotStore(int capacity, Clock clock) {
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void put(String alertId, byte[] jpeg, Instant expiresAt) {
        entries.put(alertId, new Entry(jpeg, expiresAt));
    }

    public synchronized Optional<byte[]> get(String alertId) {
        Entry e = entries.get(alertId);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expiresAt())) {
            entries.remove(alertId);
            return Optional.empty();
        }
        return Optional.of(e.jpeg());
    }

    /** Drops the snapshots of these alerts (forget everywhere); returns how many were held. */
    public synchronized int remove(java.util.Collection<String> alertIds) {
        int removed = 0;
        for (String id : alertIds) {
            if (entries.remove(id) != null) {
                removed++;
            }
        }
        return removed;
    }

    public synchronized int size() {
        return entries.size();
    }
}
