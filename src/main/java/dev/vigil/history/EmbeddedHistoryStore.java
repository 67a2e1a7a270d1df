package dev.vigil.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded history: an H2 file database {@code <dir>/history.mv.db} (vigil.data.dir/history), schema by
 * the Flyway migrations in {@code db/history}, created on first start. A file H2 cannot open (corrupt,
 * truncated, not a database) is renamed {@code history.mv.db.corrupt-<time>} with a WARN and a fresh one
 * created: a damaged history never stops Vigil from starting. A file another Vigil process holds open is
 * shared through H2's automatic mixed mode (AUTO_SERVER: the first process serves it on a local port).
 *
 * <p>Over 250 lines on purpose: it is one implementation of the HistoryStore contract (every operation of
 * the interface, in SQL), checked by the same contract suite as the AWS store.
 */
public final class EmbeddedHistoryStore implements HistoryStore {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedHistoryStore.class);
    static final String FILE = "history.mv.db";

    private final JdbcConnectionPool pool;
    private final ObjectMapper json;

    private EmbeddedHistoryStore(JdbcConnectionPool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Opens (creating or migrating) the history in {@code dir}; sets a corrupt file aside and starts afresh. */
    public static EmbeddedHistoryStore open(Path dir, ObjectMapper json, Clock clock) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("vigil.data.dir: cannot create " + dir + " for the alert history ("
                    + e.getMessage() + "); make VIGIL_DATA_DIR writable, or set vigil.history.enabled=false");
        }
        try {
            return new EmbeddedHistoryStore(migrate(dir), json);
        } catch (RuntimeException first) {
            SQLException sql = sqlCause(first);
            if (sql != null && (sql.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1
                    || sql.getErrorCode() == ErrorCode.LOCK_TIMEOUT_1)) {
                throw new ConfigException("vigil.history: " + dir.resolve(FILE) + " is in use by another process;"
                        + " give each Vigil instance its own VIGIL_DATA_DIR, or use vigil.history.store=aws to share"
                        + " one history between instances");
            }
            Path file = dir.resolve(FILE);
            if (!Files.exists(file)) {
                throw first;
            }
            Path aside = dir.resolve(FILE + ".corrupt-" + clock.instant().toString().replace(':', '-'));
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot set the unreadable history " + file + " aside", e);
            }
            LOG.warn("alert history {} could not be opened ({}); set aside as {}, starting a fresh history",
                    file, first.getClass().getSimpleName() + (sql == null ? "" : " " + sql.getErrorCode()), aside);
            return new EmbeddedHistoryStore(migrate(dir), json);
        }
    }

    private static JdbcConnectionPool migrate(Path dir) {
        // AUTO_SERVER: a second process on the same data directory (the CLI's `faces forget`, `replay` beside a
        // running Vigil) connects to the first one's local H2 server instead of failing on the file lock
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("history") + ";FILE_LOCK=FILE;AUTO_SERVER=TRUE";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "vigil", "");
        pool.setMaxConnections(8);
        try (Connection c = pool.getConnection()) {
            c.isValid(1);
            Flyway.configure().dataSource(pool).locations("classpath:db/history").load().migrate();
            return pool;
        } catch (SQLException e) {
            pool.dispose();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    @Override
    public synchronized void record(AlertRecord alert) {
        recordAll(List.of(alert));
    }

    @Override
    public synchronized void recordAll(Collection<AlertRecord> alerts) {
        inTransaction(c -> {
            Map<String, AlertRecord> stored = readAll(c, alerts.stream().map(AlertRecord::id)
                    .collect(java.util.stream.Collectors.toSet()));
            Map<String, AlertRecord> merged = new LinkedHashMap<>();
            for (AlertRecord a : alerts) {
                AlertRecord r = a.over(merged.containsKey(a.id()) ? merged.get(a.id()) : stored.get(a.id()));
                merged.put(r.id(), r);
            }
            writeAll(c, merged.values());
            return null;
        });
    }

    /** One transaction for the whole batch: the batch's stored records read in one query, written in one JDBC batch. */
    @Override
    public synchronized void write(List<HistoryEvent> events) {
        inTransaction(c -> {
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (HistoryEvent e : events) {
                ids.add(e instanceof HistoryEvent.Decided d ? d.alert().id() : ((HistoryEvent.Outcome) e).alertId());
            }
            Map<String, AlertRecord> records = readAll(c, ids);
            Map<String, AlertRecord> changed = new LinkedHashMap<>();
            List<Object[]> images = new ArrayList<>();
            for (HistoryEvent e : events) {
                if (e instanceof HistoryEvent.Decided d) {
                    AlertRecord r = d.alert().over(records.get(d.alert().id()));
                    if (d.face() != null) {
                        r = r.withImage(ImageKind.FACE, true);
                        images.add(new Object[] {r.id(), ImageKind.FACE.file(), d.face()});
                    }
                    if (d.snapshot() != null) {
                        r = r.withImage(ImageKind.SNAPSHOT, true);
                        images.add(new Object[] {r.id(), ImageKind.SNAPSHOT.file(), d.snapshot()});
                    }
                    records.put(r.id(), r);
                    changed.put(r.id(), r);
                } else {
                    HistoryEvent.Outcome o = (HistoryEvent.Outcome) e;
                    AlertRecord r = records.get(o.alertId());
                    if (r != null) {
                        records.put(r.id(), r.withDelivery(o.delivery()));
                        changed.put(r.id(), records.get(r.id()));
                    }
                }
            }
            writeAll(c, changed.values());
            try (PreparedStatement s = c.prepareStatement("MERGE INTO image (alert_id, kind, jpeg) KEY (alert_id, kind)"
                    + " VALUES (?, ?, ?)")) {
                for (Object[] image : images) {
                    s.setString(1, (String) image[0]);
                    s.setString(2, (String) image[1]);
                    s.setBytes(3, (byte[]) image[2]);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    private Map<String, AlertRecord> readAll(Connection c, java.util.Set<String> ids) throws SQLException {
        Map<String, AlertRecord> out = new java.util.HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT record FROM alert WHERE id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("VARCHAR", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    AlertRecord r = parse(rs.getString(1));
                    out.put(r.id(), r);
                }
            }
        }
        return out;
    }

    @Override
    public boolean recordDelivery(String alertId, AlertRecord.Delivery delivery) {
        return update(alertId, r -> r.withDelivery(delivery));
    }

    @Override
    public boolean mark(String alertId, AlertRecord.Mark mark) {
        return update(alertId, r -> r.withMark(mark));
    }

    @Override
    public synchronized boolean putImage(String alertId, ImageKind kind, byte[] jpeg) {
        return inTransaction(c -> {
            AlertRecord r = read(c, alertId);
            if (r == null) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement("MERGE INTO image (alert_id, kind, jpeg) KEY (alert_id, kind)"
                    + " VALUES (?, ?, ?)")) {
                s.setString(1, alertId);
                s.setString(2, kind.file());
                s.setBytes(3, jpeg);
                s.executeUpdate();
            }
            write(c, r.withImage(kind, true));
            return true;
        });
    }

    @Override
    public Optional<byte[]> image(String alertId, ImageKind kind) {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT jpeg FROM image WHERE alert_id = ? AND kind = ?")) {
                s.setString(1, alertId);
                s.setString(2, kind.file());
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<AlertRecord> get(String alertId) {
        return Optional.ofNullable(inTransaction(c -> read(c, alertId)));
    }

    @Override
    public Page query(AlertQuery q) {
        StringBuilder sql = new StringBuilder("SELECT record FROM alert WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        filter(sql, args, "camera", q.camera());
        filter(sql, args, "person", q.person());
        filter(sql, args, "type", q.type());
        filter(sql, args, "severity", q.severity());
        if (q.since() != null) {
            sql.append(" AND t >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND t < ?");
            args.add(q.until().toEpochMilli());
        }
        if (q.cursor() != null) {
            Cursor at = Cursor.parse(q.cursor());
            sql.append(" AND (t < ? OR (t = ? AND id < ?))");
            args.add(at.millis());
            args.add(at.millis());
            args.add(at.id());
        }
        // the filtered column leads the ORDER BY (it is constant, so the order is the same): then H2 reads its
        // (column, t DESC, id DESC) index in order and stops after limit + 1 rows instead of sorting every match
        String leading = q.camera() != null ? "camera, " : q.person() != null ? "person, " : q.type() != null ? "type, " : "";
        sql.append(" ORDER BY ").append(leading).append("t DESC, id DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<AlertRecord> found = inTransaction(c -> {
            List<AlertRecord> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    s.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(parse(rs.getString(1)));
                    }
                }
            }
            return out;
        });
        return page(found, q.limit());
    }

    static Page page(List<AlertRecord> found, int limit) {
        if (found.size() <= limit) {
            return new Page(found, null);
        }
        List<AlertRecord> items = found.subList(0, limit);
        return new Page(items, Cursor.of(items.get(limit - 1)));
    }

    private static void filter(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    @Override
    public long count() {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM alert"); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public synchronized int expire(DataClass dataClass, java.time.Instant before) {
        return inTransaction(c -> {
            if (dataClass == DataClass.RECORDS) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM alert WHERE t < ?")) {
                    s.setLong(1, before.toEpochMilli());
                    return s.executeUpdate();
                }
            }
            List<String> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT a.id FROM alert a JOIN image i"
                    + " ON i.alert_id = a.id WHERE a.t < ? AND a.known = ?")) {
                s.setLong(1, before.toEpochMilli());
                s.setBoolean(2, dataClass == DataClass.IMAGES_OF_KNOWN);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            deleteImages(c, ids);
            return ids.size();
        });
    }

    @Override
    public List<String> alertIdsNaming(String personId) {
        return inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM alert WHERE person = ? ORDER BY t DESC, id DESC")) {
                s.setString(1, personId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    @Override
    public synchronized int forgetPerson(String personId) {
        List<String> ids = alertIdsNaming(personId);
        return inTransaction(c -> {
            for (String id : ids) {
                write(c, read(c, id).forgotten());
            }
            return ids.size();
        });
    }

    @Override
    public synchronized int deleteImages(Collection<String> alertIds) {
        return inTransaction(c -> deleteImages(c, alertIds));
    }

    private int deleteImages(Connection c, Collection<String> alertIds) throws SQLException {
        int deleted = 0;
        for (String id : alertIds) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM image WHERE alert_id = ?")) {
                s.setString(1, id);
                deleted += s.executeUpdate();
            }
            AlertRecord r = read(c, id);
            if (r != null) {
                write(c, r.withImage(ImageKind.FACE, false).withImage(ImageKind.SNAPSHOT, false));
            }
        }
        return deleted;
    }

    // --- runtime people and marks (teach)

    @Override
    public void putPerson(RuntimePerson p) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("MERGE INTO runtime_person (id, name, added_at, added_by)"
                    + " KEY (id) VALUES (?, ?, ?, ?)")) {
                s.setString(1, p.id());
                s.setString(2, p.name());
                s.setLong(3, p.addedAt().toEpochMilli());
                s.setString(4, p.addedBy());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public List<RuntimePerson> people() {
        return inTransaction(c -> {
            List<RuntimePerson> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, name, added_at, added_by FROM runtime_person"
                    + " ORDER BY id"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new RuntimePerson(rs.getString(1), rs.getString(2),
                            java.time.Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4)));
                }
            }
            return out;
        });
    }

    @Override
    public boolean removePerson(String personId) {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM runtime_person WHERE id = ?")) {
                s.setString(1, personId);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<String> alertIdsMarking(String personId) {
        return inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT record FROM alert WHERE record LIKE ?"
                    + " ORDER BY t DESC, id DESC")) {
                s.setString(1, "%\"marks\":[{%");
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        AlertRecord r = parse(rs.getString(1));
                        if (r.marks(personId)) {
                            ids.add(r.id());
                        }
                    }
                }
            }
            return ids;
        });
    }

    @Override
    public synchronized int forgetMarks(String personId) {
        List<String> ids = alertIdsMarking(personId);
        return inTransaction(c -> {
            int marks = 0;
            for (String id : ids) {
                AlertRecord r = read(c, id);
                marks += (int) r.marks().stream().filter(m -> personId.equals(m.person())).count();
                write(c, r.withMarksForgetting(personId));
            }
            return marks;
        });
    }

    private synchronized boolean update(String alertId, UnaryOperator<AlertRecord> change) {
        return inTransaction(c -> {
            AlertRecord r = read(c, alertId);
            if (r == null) {
                return false;
            }
            write(c, change.apply(r));
            return true;
        });
    }

    private AlertRecord read(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT record FROM alert WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? parse(rs.getString(1)) : null;
            }
        }
    }

    private void write(Connection c, AlertRecord r) throws SQLException {
        writeAll(c, List.of(r));
    }

    private void writeAll(Connection c, Collection<AlertRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("MERGE INTO alert (id, t, camera, person, type, severity, known,"
                + " record) KEY (id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AlertRecord r : records) {
                s.setString(1, r.id());
                s.setLong(2, r.observedAt().toEpochMilli());
                s.setString(3, r.camera());
                s.setString(4, r.person());
                s.setString(5, r.type());
                s.setString(6, r.severity());
                s.setBoolean(7, r.aboutKnownPerson());
                try {
                    s.setString(8, json.writeValueAsString(r));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("alert record " + r.id() + " cannot be written as JSON", e);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private AlertRecord parse(String text) {
        try {
            return json.readValue(text, AlertRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored alert record is not readable JSON", e);
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("alert history: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
