package dev.vigil.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A recorded day of motion at a front door, generated deterministically (seed 2026) for {@code vigil
 * cost-report}: 80 visits between 07:00 and 22:00 (walk up with no face in view yet, face in view while at the
 * door, walk away; one person, sometimes two) and 40 motion events with no face (cars at the edge of the
 * picture, a cat, shadows), at least 20 s apart. One JSON object per line, sorted by start:
 * {@code {"start":"...","kind":"visit","approach":4,"face":18,"leave":3,"faces":1}} or
 * {@code {"start":"...","kind":"motion","seconds":9}}. The bundled copy is {@code cost/doorbell-day.jsonl}.
 */
public final class DoorbellDay {

    public static final String RESOURCE = "cost/doorbell-day.jsonl";
    public static final LocalDate DAY = LocalDate.parse("2026-11-24");
    public static final ZoneId ZONE = ZoneId.of("Europe/London");

    /** One motion event: seconds of motion before, with and after faces in view. */
    public record Event(Instant start, String kind, int approach, int face, int leave, int faces) {
        public int seconds() {
            return approach + face + leave;
        }
    }

    private DoorbellDay() {
    }

    public static List<Event> generate() {
        Random r = new Random(2026);
        List<Event> events = new ArrayList<>();
        Instant opens = DAY.atTime(7, 0).atZone(ZONE).toInstant();
        for (int i = 0; i < 80; i++) {
            Instant start = opens.plusSeconds(r.nextInt(15 * 3600));
            boolean delivery = r.nextInt(3) == 0; // drop a parcel and go, or wait at the door
            int face = delivery ? 5 + r.nextInt(10) : 12 + r.nextInt(40);
            events.add(new Event(start, "visit", 3 + r.nextInt(6), face, 2 + r.nextInt(5), r.nextInt(10) == 0 ? 2 : 1));
        }
        Instant midnight = DAY.atStartOfDay(ZONE).toInstant();
        for (int i = 0; i < 40; i++) {
            events.add(new Event(midnight.plusSeconds(r.nextInt(24 * 3600 - 60)), "motion", 2 + r.nextInt(14), 0, 0, 0));
        }
        events.sort(Comparator.comparing(Event::start));
        // one thing at a time at the door: an event starts at least 20 s after the one before has ended
        List<Event> apart = new ArrayList<>(events.size());
        for (Event e : events) {
            Event before = apart.isEmpty() ? null : apart.get(apart.size() - 1);
            Instant earliest = before == null ? e.start() : before.start().plusSeconds(before.seconds() + 20);
            apart.add(e.start().isBefore(earliest) ? new Event(earliest, e.kind(), e.approach(), e.face(), e.leave(), e.faces()) : e);
        }
        return apart;
    }

    public static String jsonLines(List<Event> events) {
        ObjectMapper json = new ObjectMapper();
        StringBuilder out = new StringBuilder();
        for (Event e : events) {
            ObjectNode line = json.createObjectNode().put("start", e.start().toString()).put("kind", e.kind());
            if (e.kind().equals("visit")) {
                line.put("approach", e.approach()).put("face", e.face()).put("leave", e.leave()).put("faces", e.faces());
            } else {
                line.put("seconds", e.approach());
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    public static List<Event> parse(List<String> lines) {
        ObjectMapper json = new ObjectMapper();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                var n = json.readTree(line);
                Instant start = Instant.parse(n.get("start").asText());
                events.add(n.get("kind").asText().equals("visit")
                        ? new Event(start, "visit", n.get("approach").asInt(), n.get("face").asInt(), n.get("leave").asInt(),
                        n.get("faces").asInt())
                        : new Event(start, "motion", n.get("seconds").asInt(), 0, 0, 0));
            } catch (Exception e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a motion event: " + e.getMessage());
            }
        }
        events.sort(Comparator.comparing(Event::start));
        return events;
    }
}
