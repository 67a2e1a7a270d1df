package dev.vigil.history;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The alert history: one record per alert id, its per-channel delivery outcomes, the JPEGs of its deciding
 * frame, and what the household said about it. Two implementations: {@code EmbeddedHistoryStore} (H2 file
 * under vigil.data.dir/history, the default) and {@code AwsHistoryStore} (DynamoDB + S3, profile aws,
 * shared by instances). {@code HistoryStoreContract} holds the tests both pass.
 *
 * <p>Every method is safe to call from several threads. Unknown alert ids are not an error where a
 * method has nothing to do (recordDelivery, putImage, mark on an unknown id do nothing and return false).
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * Records an alert, or updates the record with that id (a record re-read after a restart or a lease
     * move): the alert's own fields are replaced, its deliveries, marks and images are kept; the visit's
     * cameras are merged and its frame count never goes down.
     */
    void record(AlertRecord alert);

    /** Records several alerts at once (the batching writer); same semantics as {@link #record} for each. */
    default void recordAll(Collection<AlertRecord> alerts) {
        alerts.forEach(this::record);
    }

    /**
     * Writes the recorder's events in order (the writer's batch): a decided alert as {@link #record} plus its
     * JPEGs, an outcome as {@link #recordDelivery}. A store may do it in one transaction.
     */
    default void write(List<HistoryEvent> events) {
        for (HistoryEvent e : events) {
            if (e instanceof HistoryEvent.Decided d) {
                record(d.alert());
                if (d.face() != null) {
                    putImage(d.alert().id(), ImageKind.FACE, d.face());
                }
                if (d.snapshot() != null) {
                    putImage(d.alert().id(), ImageKind.SNAPSHOT, d.snapshot());
                }
            } else if (e instanceof HistoryEvent.Outcome o) {
                recordDelivery(o.alertId(), o.delivery());
            }
        }
    }

    /** Sets a channel's outcome for the alert (a later outcome of the same channel replaces it). */
    boolean recordDelivery(String alertId, AlertRecord.Delivery delivery);

    /** Stores the face crop or snapshot JPEG of the alert's deciding frame (replacing one stored before). */
    boolean putImage(String alertId, ImageKind kind, byte[] jpeg);

    Optional<byte[]> image(String alertId, ImageKind kind);

    Optional<AlertRecord> get(String alertId);

    /** Newest first, filtered, one page; the limit is the caller's to bound (the API enforces a maximum). */
    Page query(AlertQuery query);

    /** How many alert records are stored. */
    long count();

    /**
     * Retention: deletes what of the class belongs to alerts observed before {@code before}: for the image
     * classes the JPEGs (the records stay, without face/snapshot), for {@link DataClass#RECORDS} the records
     * with their images.
     *
     * @return how many alerts lost something
     */
    int expire(DataClass dataClass, Instant before);

    // --- forget and teach (the teach developer's API) ---

    /** The ids of every alert whose person is this person id. */
    List<String> alertIdsNaming(String personId);

    /** Replaces the person's id and name in every alert naming them by {@link AlertRecord#FORGOTTEN}; returns the count. */
    int forgetPerson(String personId);

    /** Deletes the face crops and snapshots of these alerts; returns how many JPEGs were deleted. */
    int deleteImages(Collection<String> alertIds);

    /** Adds a teach / not-a-match mark to the alert. */
    boolean mark(String alertId, AlertRecord.Mark mark);

    // --- runtime people and marks (teach developer: POST /api/people, forget everywhere) ---

    /** Adds or renames a person added at runtime (POST /api/people); the household file is never rewritten. */
    default void putPerson(RuntimePerson person) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no runtime people");
    }

    /** The people added at runtime, by id. */
    default List<RuntimePerson> people() {
        return List.of();
    }

    /** Removes a runtime person; false when there was none with that id. */
    default boolean removePerson(String personId) {
        return false;
    }

    /** The ids of every alert with a mark (taught, not a match) naming this person. */
    default List<String> alertIdsMarking(String personId) {
        return List.of();
    }

    /** Replaces the person in every mark naming them by {@link AlertRecord#FORGOTTEN}; returns how many marks. */
    default int forgetMarks(String personId) {
        return 0;
    }

    @Override
    default void close() {
    }
}
