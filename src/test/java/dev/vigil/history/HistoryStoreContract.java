package dev.vigil.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.model.Face;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link HistoryStore} keeps: run against the embedded (H2) store and the AWS
 * (DynamoDB + S3 on moto) store by its subclasses.
 */
abstract class HistoryStoreContract {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    HistoryStore store;

    /** A new, empty store. */
    abstract HistoryStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static AlertRecord alert(String id, Instant at, String camera, String person, String type, String severity) {
        return new AlertRecord(id, type, severity, "because", camera, camera + " camera", person,
                person == null ? null : person.toUpperCase(), person == null ? null : 97.5, at,
                new AlertRecord.VisitRecord("v-" + id, List.of(camera), at.minusSeconds(4), at, 3,
                        new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 88.0),
                false, "stream-processor", Map.of(), List.of(), false, false, at);
    }

    static AlertRecord known(String id, Instant at, String person) {
        return alert(id, at, "front-door", person, "known_person", "info");
    }

    static AlertRecord unknown(String id, Instant at) {
        return alert(id, at, "front-door", null, "unknown_face", "warning");
    }

    @Test
    void recordingTheSameAlertAgainUpdatesItAndKeepsOneCopy() {
        store.record(unknown("a1", T0));
        store.recordDelivery("a1", new AlertRecord.Delivery("webhook", DeliveryOutcome.DELIVERED, null, T0));
        store.putImage("a1", ImageKind.FACE, new byte[] {1, 2, 3});
        AlertRecord again = unknown("a1", T0);
        AlertRecord reRead = new AlertRecord(again.id(), again.type(), again.severity(), "re-read", again.camera(),
                again.cameraName(), null, null, null, again.observedAt(),
                new AlertRecord.VisitRecord("v-a1", List.of("garden"), T0.minusSeconds(9), T0, 2, null, null),
                false, again.engine(), Map.of(), List.of(), false, false, T0.plusSeconds(60));

        store.record(reRead);

        assertEquals(1, store.count());
        AlertRecord stored = store.get("a1").orElseThrow();
        assertEquals("re-read", stored.reason());
        assertEquals(DeliveryOutcome.DELIVERED, stored.deliveries().get("webhook").outcome(), "deliveries kept");
        assertTrue(stored.face(), "the stored face crop is still there");
        assertEquals(Set.of("front-door", "garden"), Set.copyOf(stored.visit().cameras()));
        assertEquals(3, stored.visit().frames(), "the frame count never goes down");
        assertEquals(T0.minusSeconds(9), stored.visit().firstFrame());
        assertEquals(1, store.query(AlertQuery.all(10)).items().size());
    }

    @Test
    void recordsEveryFieldOfTheAlertAndItsVisit() {
        AlertRecord a = known("k1", T0, "alice");
        store.recordAll(List.of(a, unknown("u1", T0.plusSeconds(1))));

        AlertRecord stored = store.get("k1").orElseThrow();
        assertEquals(a, stored);
        assertEquals(new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), stored.visit().bestBox());
        assertEquals(2, store.count());
        assertTrue(store.get("nope").isEmpty());
    }

    @Test
    void writesABatchOfEventsInOrder() {
        store.record(known("old", T0, "alice"));
        store.write(List.of(
                new HistoryEvent.Decided(unknown("n1", T0.plusSeconds(1)), new byte[] {1}, new byte[] {2}),
                new HistoryEvent.Outcome("n1", new AlertRecord.Delivery("sns", DeliveryOutcome.HELD, "ceiling", T0)),
                new HistoryEvent.Outcome("n1", new AlertRecord.Delivery("sns", DeliveryOutcome.DELIVERED, null, T0)),
                new HistoryEvent.Outcome("old", new AlertRecord.Delivery("webhook", DeliveryOutcome.DELIVERED, null, T0)),
                new HistoryEvent.Outcome("never-recorded", new AlertRecord.Delivery("sns", DeliveryOutcome.DELIVERED, null, T0)),
                new HistoryEvent.Decided(unknown("n1", T0.plusSeconds(1)), null, null)));

        AlertRecord n1 = store.get("n1").orElseThrow();
        assertEquals(DeliveryOutcome.DELIVERED, n1.deliveries().get("sns").outcome());
        assertTrue(n1.face() && n1.snapshot(), "a re-recorded alert keeps its images");
        assertArrayEquals(new byte[] {2}, store.image("n1", ImageKind.SNAPSHOT).orElseThrow());
        assertEquals(DeliveryOutcome.DELIVERED, store.get("old").orElseThrow().deliveries().get("webhook").outcome());
        assertEquals(2, store.count(), "an outcome never makes a record");
    }

    @Test
    void keepsEachChannelsLatestDeliveryOutcome() {
        store.record(unknown("a1", T0));
        assertTrue(store.recordDelivery("a1", new AlertRecord.Delivery("sns", DeliveryOutcome.HELD, "over ceiling", T0)));
        store.recordDelivery("a1", new AlertRecord.Delivery("webhook", DeliveryOutcome.DEAD_LETTERED, "503", T0));
        store.recordDelivery("a1", new AlertRecord.Delivery("sns", DeliveryOutcome.DELIVERED, null, T0.plusSeconds(5)));

        Map<String, AlertRecord.Delivery> d = store.get("a1").orElseThrow().deliveries();
        assertEquals(Set.of("sns", "webhook"), d.keySet());
        assertEquals(DeliveryOutcome.DELIVERED, d.get("sns").outcome());
        assertEquals(T0.plusSeconds(5), d.get("sns").at());
        assertEquals(DeliveryOutcome.DEAD_LETTERED, d.get("webhook").outcome());
        assertEquals("503", d.get("webhook").reason());
        assertFalse(store.recordDelivery("unknown-id", new AlertRecord.Delivery("sns", DeliveryOutcome.DELIVERED, null, T0)));
    }

    @Test
    void storesAndReturnsTheFaceCropAndSnapshot() {
        store.record(unknown("a1", T0));
        byte[] face = {(byte) 0xFF, (byte) 0xD8, 1, 2};
        byte[] snapshot = {(byte) 0xFF, (byte) 0xD8, 3, 4, 5};

        assertTrue(store.putImage("a1", ImageKind.FACE, face));
        assertTrue(store.image("a1", ImageKind.SNAPSHOT).isEmpty());
        assertTrue(store.putImage("a1", ImageKind.SNAPSHOT, snapshot));

        assertArrayEquals(face, store.image("a1", ImageKind.FACE).orElseThrow());
        assertArrayEquals(snapshot, store.image("a1", ImageKind.SNAPSHOT).orElseThrow());
        AlertRecord r = store.get("a1").orElseThrow();
        assertTrue(r.face() && r.snapshot());
        assertFalse(store.putImage("missing", ImageKind.FACE, face), "no image without its alert");
        assertTrue(store.image("missing", ImageKind.FACE).isEmpty());
    }

    @Test
    void pagesNewestFirstWithoutGapsOrRepeats() {
        List<AlertRecord> all = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // two alerts share each second: the id breaks the tie
            all.add(unknown(String.format("a%02d", i), T0.plusSeconds(i / 2)));
        }
        store.recordAll(all);

        List<String> seen = new ArrayList<>();
        AlertQuery q = AlertQuery.all(5);
        Page page;
        int pages = 0;
        do {
            page = store.query(q);
            page.items().forEach(r -> seen.add(r.id()));
            q = q.after(page.next());
            pages++;
        } while (page.next() != null);

        assertEquals(5, pages);
        assertEquals(23, seen.size());
        assertEquals(23, new HashSet<>(seen).size());
        List<String> expected = all.stream().sorted((a, b) -> {
            int t = b.observedAt().compareTo(a.observedAt());
            return t != 0 ? t : b.id().compareTo(a.id());
        }).map(AlertRecord::id).toList();
        assertEquals(expected, seen);
    }

    @Test
    void filtersByCameraPersonTypeSeverityAndTime() {
        store.recordAll(List.of(
                known("k1", T0, "alice"),
                known("k2", T0.plusSeconds(60), "bob"),
                alert("s1", T0.plusSeconds(120), "garden", "alice", "suspected_match", "warning"),
                unknown("u1", T0.plusSeconds(180)),
                alert("u2", T0.plusSeconds(240), "garden", null, "unknown_face", "critical")));

        assertEquals(List.of("s1", "k1"), ids(new AlertQuery(null, "alice", null, null, null, null, null, 10)));
        assertEquals(List.of("u2", "s1"), ids(new AlertQuery("garden", null, null, null, null, null, null, 10)));
        assertEquals(List.of("u2", "u1"), ids(new AlertQuery(null, null, "unknown_face", null, null, null, null, 10)));
        assertEquals(List.of("u2"), ids(new AlertQuery(null, null, null, "critical", null, null, null, 10)));
        assertEquals(List.of("u1", "s1", "k2"), ids(new AlertQuery(null, null, null, null, T0.plusSeconds(60),
                T0.plusSeconds(240), null, 10)), "since inclusive, until exclusive");
        assertEquals(List.of("s1"), ids(new AlertQuery("garden", "alice", "suspected_match", "warning", T0,
                T0.plusSeconds(3600), null, 10)));
        assertEquals(List.of(), ids(new AlertQuery("attic", null, null, null, null, null, null, 10)));
    }

    @Test
    void pagesThroughAFilteredQuery() {
        List<AlertRecord> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(i % 4 == 0 ? known("k" + (100 + i), T0.plusSeconds(i), "alice") : unknown("u" + (100 + i), T0.plusSeconds(i)));
        }
        store.recordAll(all);
        AlertQuery q = new AlertQuery(null, "alice", null, null, null, null, null, 3);
        List<String> seen = new ArrayList<>();
        Page page;
        do {
            page = store.query(q);
            page.items().forEach(r -> seen.add(r.id()));
            q = q.after(page.next());
        } while (page.next() != null);
        assertEquals(10, seen.size());
        assertEquals("k136", seen.get(0));
        assertEquals("k100", seen.get(9));
    }

    @Test
    void refusesACursorItDidNotHandOut() {
        assertThrows(IllegalArgumentException.class, () -> store.query(AlertQuery.all(5).after("%%%not-a-cursor")));
    }

    @Test
    void expiresImagesByClassAndRecordsByAge() {
        store.recordAll(List.of(known("k-old", T0, "alice"), unknown("u-old", T0), known("k-new", T0.plus(Duration.ofDays(2)), "bob")));
        for (String id : List.of("k-old", "u-old", "k-new")) {
            store.putImage(id, ImageKind.FACE, new byte[] {1});
            store.putImage(id, ImageKind.SNAPSHOT, new byte[] {2});
        }
        Instant cut = T0.plus(Duration.ofDays(1));

        assertEquals(1, store.expire(DataClass.IMAGES_OF_KNOWN, cut));
        assertTrue(store.image("k-old", ImageKind.FACE).isEmpty());
        assertTrue(store.image("k-old", ImageKind.SNAPSHOT).isEmpty());
        assertFalse(store.get("k-old").orElseThrow().face());
        assertTrue(store.image("u-old", ImageKind.FACE).isPresent(), "unknowns keep theirs longer");
        assertTrue(store.image("k-new", ImageKind.FACE).isPresent(), "younger than the cut");

        assertEquals(1, store.expire(DataClass.IMAGES_OF_OTHERS, cut));
        assertTrue(store.image("u-old", ImageKind.FACE).isEmpty());
        assertEquals(3, store.count(), "records stay when their images go");

        assertEquals(2, store.expire(DataClass.RECORDS, cut));
        assertEquals(1, store.count());
        assertTrue(store.get("k-old").isEmpty());
        assertTrue(store.image("k-new", ImageKind.FACE).isPresent());
        assertEquals(0, store.expire(DataClass.RECORDS, cut), "nothing left to expire");
    }

    @Test
    void forgetsAPersonsNameAndImages() {
        store.recordAll(List.of(known("k1", T0, "alice"), known("k2", T0.plusSeconds(1), "alice"),
                known("k3", T0.plusSeconds(2), "bob"), unknown("u1", T0.plusSeconds(3))));
        store.putImage("k1", ImageKind.FACE, new byte[] {1});
        store.putImage("k2", ImageKind.SNAPSHOT, new byte[] {2});
        store.putImage("k3", ImageKind.FACE, new byte[] {3});

        List<String> ids = store.alertIdsNaming("alice");
        assertEquals(Set.of("k1", "k2"), Set.copyOf(ids));
        assertEquals(2, store.deleteImages(ids));
        assertEquals(2, store.forgetPerson("alice"));

        assertTrue(store.alertIdsNaming("alice").isEmpty());
        for (String id : ids) {
            AlertRecord r = store.get(id).orElseThrow();
            assertEquals(AlertRecord.FORGOTTEN, r.person());
            assertEquals(AlertRecord.FORGOTTEN, r.personName());
            assertFalse(r.face() || r.snapshot());
            assertTrue(store.image(id, ImageKind.FACE).isEmpty() && store.image(id, ImageKind.SNAPSHOT).isEmpty());
        }
        assertTrue(store.query(new AlertQuery(null, "alice", null, null, null, null, null, 10)).items().isEmpty());
        assertEquals("bob", store.get("k3").orElseThrow().person());
        assertTrue(store.image("k3", ImageKind.FACE).isPresent());
    }

    @Test
    void keepsTeachAndNotAMatchMarks() {
        store.record(known("k1", T0, "alice"));
        assertTrue(store.mark("k1", new AlertRecord.Mark(MarkKind.NOT_A_MATCH, "alice", T0.plusSeconds(10), "api")));
        assertTrue(store.mark("k1", new AlertRecord.Mark(MarkKind.TAUGHT, "dora", T0.plusSeconds(20), null)));
        assertFalse(store.mark("nope", new AlertRecord.Mark(MarkKind.TAUGHT, "dora", T0, null)));

        List<AlertRecord.Mark> marks = store.get("k1").orElseThrow().marks();
        assertEquals(2, marks.size());
        assertEquals(MarkKind.NOT_A_MATCH, marks.get(0).kind());
        assertEquals("dora", marks.get(1).person());
        assertNull(marks.get(1).by());
    }

    List<String> ids(AlertQuery q) {
        return store.query(q).items().stream().map(AlertRecord::id).toList();
    }

    @Test
    void keepsRuntimePeopleUntilRemoved() {
        assertTrue(store.people().isEmpty());
        store.putPerson(new RuntimePerson("dora", "Dora", T0, "api 127.0.0.1"));
        store.putPerson(new RuntimePerson("carl", null, T0.plusSeconds(1), "api 127.0.0.1"));
        store.putPerson(new RuntimePerson("dora", "Dora M.", T0.plusSeconds(2), "api 127.0.0.1"));

        assertEquals(List.of(new RuntimePerson("carl", null, T0.plusSeconds(1), "api 127.0.0.1"),
                new RuntimePerson("dora", "Dora M.", T0.plusSeconds(2), "api 127.0.0.1")), store.people());
        assertTrue(store.removePerson("dora"));
        assertFalse(store.removePerson("dora"));
        assertEquals(List.of("carl"), store.people().stream().map(RuntimePerson::id).toList());
    }

    @Test
    void findsAndForgetsTheMarksNamingAPerson() {
        store.record(known("k1", T0, "alice"));
        store.record(unknown("u1", T0.plusSeconds(1)));
        store.record(unknown("u2", T0.plusSeconds(2)));
        store.mark("k1", new AlertRecord.Mark(MarkKind.NOT_A_MATCH, "alice", T0, "api"));
        store.mark("u1", new AlertRecord.Mark(MarkKind.TAUGHT, "dora", T0, "api"));

        assertEquals(List.of("k1"), store.alertIdsMarking("alice"));
        assertEquals(List.of("u1"), store.alertIdsMarking("dora"));
        assertEquals(1, store.forgetMarks("dora"));
        assertTrue(store.alertIdsMarking("dora").isEmpty());
        assertEquals(AlertRecord.FORGOTTEN, store.get("u1").orElseThrow().marks().get(0).person());
        assertEquals(List.of("k1"), store.alertIdsMarking("alice"), "other people's marks stay");
    }
}
