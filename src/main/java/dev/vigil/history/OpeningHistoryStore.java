package dev.vigil.history;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A history store opened on a thread of its own ({@code vigil-history-open}): opening it is H2 and the Flyway
 * migrations for the embedded store (a sixth of a start on a fresh data directory), a table and bucket check
 * for the AWS one, and none of it needs the routes. So it runs while the main thread loads and creates the
 * routes, instead of before them (issue 15, docs/start-up.md).
 *
 * <p>Every call waits until the store is open. HistoryConfiguration also waits for it when the context starts,
 * before any route takes a record, so a history that cannot be opened still stops start-up, with the opener's
 * own exception (a {@code ConfigException} naming the key when it is a configuration problem).
 */
public final class OpeningHistoryStore implements HistoryStore {

    private final CompletableFuture<HistoryStore> opened = new CompletableFuture<>();

    /** Starts opening: {@code open} runs on a new daemon thread. */
    public OpeningHistoryStore(Supplier<HistoryStore> open) {
        Thread opener = new Thread(() -> {
            try {
                opened.complete(open.get());
            } catch (Throwable e) { // rethrown by open() to every caller, first of all the context's start
                opened.completeExceptionally(e);
            }
        }, "vigil-history-open");
        opener.setDaemon(true);
        opener.start();
    }

    /** The open store, once it is open; the opener's exception, as it was thrown, when it could not be opened. */
    public HistoryStore open() {
        try {
            return opened.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public void record(AlertRecord alert) {
        open().record(alert);
    }

    @Override
    public void recordAll(Collection<AlertRecord> alerts) {
        open().recordAll(alerts);
    }

    @Override
    public void write(List<HistoryEvent> events) {
        open().write(events);
    }

    @Override
    public boolean recordDelivery(String alertId, AlertRecord.Delivery delivery) {
        return open().recordDelivery(alertId, delivery);
    }

    @Override
    public boolean putImage(String alertId, ImageKind kind, byte[] jpeg) {
        return open().putImage(alertId, kind, jpeg);
    }

    @Override
    public Optional<byte[]> image(String alertId, ImageKind kind) {
        return open().image(alertId, kind);
    }

    @Override
    public Optional<AlertRecord> get(String alertId) {
        return open().get(alertId);
    }

    @Override
    public Page query(AlertQuery query) {
        return open().query(query);
    }

    @Override
    public long count() {
        return open().count();
    }

    @Override
    public int expire(DataClass dataClass, Instant before) {
        return open().expire(dataClass, before);
    }

    @Override
    public List<String> alertIdsNaming(String personId) {
        return open().alertIdsNaming(personId);
    }

    @Override
    public int forgetPerson(String personId) {
        return open().forgetPerson(personId);
    }

    @Override
    public int deleteImages(Collection<String> alertIds) {
        return open().deleteImages(alertIds);
    }

    @Override
    public boolean mark(String alertId, AlertRecord.Mark mark) {
        return open().mark(alertId, mark);
    }

    @Override
    public void putPerson(RuntimePerson person) {
        open().putPerson(person);
    }

    @Override
    public List<RuntimePerson> people() {
        return open().people();
    }

    @Override
    public boolean removePerson(String personId) {
        return open().removePerson(personId);
    }

    @Override
    public List<String> alertIdsMarking(String personId) {
        return open().alertIdsMarking(personId);
    }

    @Override
    public int forgetMarks(String personId) {
        return open().forgetMarks(personId);
    }

    /** Closes the store once it is open; nothing to close when it could not be opened. */
    @Override
    public void close() {
        HistoryStore store;
        try {
            store = opened.join();
        } catch (CompletionException e) {
            return;
        }
        store.close();
    }
}
