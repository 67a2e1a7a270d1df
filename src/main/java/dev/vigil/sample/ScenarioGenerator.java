package dev.vigil.sample;

import dev.vigil.sample.RecordWriter.Detected;
import dev.vigil.sample.RecordWriter.FaceInFrame;
import dev.vigil.sample.RecordWriter.Match;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Generates the bundled sample scenario (src/main/resources/sample/scenario.jsonl): one day at the
 * household of config/household.example.yaml, in the exact Kinesis record format. Regenerate with
 * {@code java -jar target/vigil.jar sample > src/main/resources/sample/scenario.jsonl}; a test checks the
 * bundled file is exactly this generator's output. The benchmark uses the same building blocks.
 */
public final class ScenarioGenerator {

    static final Instant DAY = Instant.parse("2026-11-24T00:00:00Z");
    private static final List<String> STREAMS = List.of("front-door-cam", "driveway-cam", "back-garden-cam",
            "side-gate-cam");

    private record Line(Instant time, String json) {
    }

    /** One person (or face) in front of one camera for a while: frames at a fixed interval. */
    private record Segment(String stream, Instant start, int frames, Duration interval, Kind kind, String person,
                           double similarity) {
    }

    private enum Kind { MATCH, UNKNOWN, NIGHT }

    private ScenarioGenerator() {
    }

    public static int print(PrintStream out) {
        scenario().forEach(out::println);
        return 0;
    }

    /** The sample day, one record per line, in time order, with one malformed record. */
    public static List<String> scenario() {
        List<Segment> day = List.of(
                // 07:45 Alice arrives at the front door: known, and a rule says "tell me when Alice arrives"
                seg("front-door-cam", "07:45:10", 4, Kind.MATCH, "alice", 99.2),
                // 08:30 Bob at the front door: known, rule "never alert about Bob"
                seg("front-door-cam", "08:30:00", 3, Kind.MATCH, "bob", 98.4),
                // 11:32 a stranger lingers on the driveway for a minute, leaves, is back at 11:36
                seg("driveway-cam", "11:32:00", 25, Kind.UNKNOWN, null, 0),
                seg("driveway-cam", "11:36:05", 6, Kind.UNKNOWN, null, 0),
                // 12:10 one odd unknown frame at the front door: one frame never alerts
                seg("front-door-cam", "12:10:00", 1, Kind.UNKNOWN, null, 0),
                // 14:05 someone who looks like Alice, but only at 84-86%: a suspected match
                seg("front-door-cam", "14:05:00", 3, Kind.MATCH, "alice", 85.0),
                // 17:20 an unknown face in the garden, then recognised as Alice when she turns
                seg("back-garden-cam", "17:20:00", 2, Kind.UNKNOWN, null, 0),
                seg("back-garden-cam", "17:20:03", 3, Kind.MATCH, "alice", 97.1),
                // 18:02 a stranger at a side gate whose stream no camera in the household claims
                seg("side-gate-cam", "18:02:00", 3, Kind.UNKNOWN, null, 0),
                // 23:20 a stranger on the driveway during quiet hours (warning < critical: held back)
                seg("driveway-cam", "23:20:00", 3, Kind.UNKNOWN, null, 0),
                // 23:50 a dark, blurred face in the garden at night: unidentifiable, recorded only
                seg("back-garden-cam", "23:50:00", 4, Kind.NIGHT, null, 0));
        List<Line> lines = render(day, new Random(20261124));
        List<String> out = new ArrayList<>(lines.stream().map(Line::json).toList());
        // A record cut short in transit, as a poison record: it goes to the dead-letter store.
        String cut = out.get(5);
        out.add(6, cut.substring(0, cut.length() / 2));
        return out;
    }

    /** {@code n} records for benchmarks: the sample day's segments repeated on many cameras and days. */
    public static List<String> bench(int n) {
        Random random = new Random(42);
        List<String> out = new ArrayList<>(n);
        for (int day = 0; out.size() < n; day++) {
            for (String stream : STREAMS) {
                List<Segment> segments = new ArrayList<>();
                Instant start = DAY.plus(Duration.ofDays(day)).plusSeconds(random.nextInt(3600));
                for (int visit = 0; visit < 40; visit++) {
                    Kind kind = Kind.values()[random.nextInt(3)];
                    segments.add(new Segment("bench-" + day % 50 + "-" + stream, start, 3 + random.nextInt(20),
                            Duration.ofMillis(1000), kind, random.nextBoolean() ? "alice" : "bob",
                            80 + random.nextInt(20)));
                    start = start.plusSeconds(120 + random.nextInt(1200));
                }
                render(segments, random).stream().map(Line::json).limit(n - out.size()).forEach(out::add);
                if (out.size() >= n) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * A random day for property tests, one record per line in time order: {@code visits} visits on each
     * camera of the example household (and the unclaimed side gate), of every kind the sample day has (known,
     * suspected, unknown, unknown then recognised, unidentifiable at night), 1-8 frames 0.4-1.5 s apart, with gaps
     * from seconds to an hour, so visit windows, cooldowns and quiet hours all come into play.
     */
    public static List<String> randomDay(long seed, int visits) {
        Random random = new Random(seed);
        List<Segment> segments = new ArrayList<>();
        for (String stream : STREAMS) {
            Instant start = DAY.plusSeconds(random.nextInt(6 * 3600));
            for (int v = 0; v < visits; v++) {
                Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                String person = List.of("alice", "bob", "carol").get(random.nextInt(3));
                double similarity = random.nextBoolean() ? 95 + random.nextInt(5) : 81 + random.nextInt(8);
                Duration interval = Duration.ofMillis(400 + random.nextInt(1100));
                int frames = 1 + random.nextInt(8);
                segments.add(new Segment(stream, start, frames, interval, kind, person, similarity));
                if (kind == Kind.UNKNOWN && random.nextInt(3) == 0) { // turns to the camera: recognised
                    segments.add(new Segment(stream, start.plus(interval.multipliedBy(frames)), 1 + random.nextInt(4),
                            interval, Kind.MATCH, person, 97));
                }
                long gap = switch (random.nextInt(4)) {
                    case 0 -> 5 + random.nextInt(40);
                    case 1 -> 60 + random.nextInt(300);
                    case 2 -> 300 + random.nextInt(900);
                    default -> 1800 + random.nextInt(3600);
                };
                start = start.plus(interval.multipliedBy(frames)).plusSeconds(gap);
            }
        }
        return render(segments, random).stream().map(Line::json).toList();
    }

    /**
     * {@code perCamera} records on each of {@code cameras} cameras (streams fleet-0..), generated lazily, the
     * cameras taking turns (one record each per turn): visits of 3-22 frames a second apart, every kind, with
     * gaps of 20 s to 15 min, so visits open and close and cooldowns (5 min) both hold and expire. For the
     * memory benchmark: a million records are never held at once.
     */
    public static Iterator<String> fleet(int cameras, int perCamera) {
        List<ArrayDeque<String>> pending = new ArrayList<>(cameras);
        List<Instant> next = new ArrayList<>(cameras);
        Random random = new Random(1000);
        for (int c = 0; c < cameras; c++) {
            pending.add(new ArrayDeque<>());
            next.add(DAY.plusSeconds(random.nextInt(3600)));
        }
        return new Iterator<>() {
            private long produced;

            @Override
            public boolean hasNext() {
                return produced < (long) cameras * perCamera;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                int c = (int) (produced++ % cameras);
                ArrayDeque<String> queue = pending.get(c);
                if (queue.isEmpty()) {
                    Kind kind = Kind.values()[random.nextInt(3)];
                    int frames = 3 + random.nextInt(20);
                    Instant start = next.get(c);
                    render(List.of(new Segment("fleet-" + c, start, frames, Duration.ofMillis(1000), kind,
                            random.nextBoolean() ? "alice" : "bob", 80 + random.nextInt(20))), random)
                            .forEach(l -> queue.add(l.json()));
                    next.set(c, start.plusSeconds(frames + 20 + random.nextInt(880)));
                }
                return queue.poll();
            }
        };
    }

    /**
     * A camera with someone in view all the time, for the streams benchmark: each call gives its next record,
     * about the frame at {@code frameTime} (the caller's clock, so records are live). Visits of 3-22 frames of
     * every kind (known, suspected, unknown, unidentifiable) follow each other; every record has one face.
     */
    public static java.util.function.Function<Instant, String> liveCamera(String kvsStream, long seed) {
        Random random = new Random(seed);
        RecordWriter writer = new RecordWriter();
        int streamNumber = Math.floorMod(kvsStream.hashCode(), 9) + 1;
        return new java.util.function.Function<>() {
            private Segment visit;
            private int frame;
            private double left;

            @Override
            public String apply(Instant frameTime) {
                if (visit == null || frame == visit.frames()) {
                    visit = new Segment(kvsStream, frameTime, 3 + random.nextInt(20), Duration.ofMillis(1000),
                            Kind.values()[random.nextInt(3)], random.nextBoolean() ? "alice" : "bob",
                            80 + random.nextInt(20));
                    frame = 0;
                    left = 0.3 + random.nextDouble() * 0.3;
                }
                FaceInFrame face = new FaceInFrame(detected(visit.kind(), left + frame++ * 0.004, random),
                        matches(visit, random));
                return writer.record(kvsStream, streamNumber, frameTime, 2 + random.nextDouble() * 6, List.of(face));
            }
        };
    }

    private static Segment seg(String stream, String localTime, int frames, Kind kind, String person, double sim) {
        return new Segment(stream, Instant.parse("2026-11-24T" + localTime + "Z"), frames, Duration.ofMillis(1000),
                kind, person, sim);
    }

    private static List<Line> render(List<Segment> segments, Random random) {
        RecordWriter writer = new RecordWriter();
        List<Line> lines = new ArrayList<>();
        for (Segment s : segments) {
            int streamNumber = Math.floorMod(s.stream().hashCode(), 9) + 1;
            double left = 0.3 + random.nextDouble() * 0.3;
            for (int i = 0; i < s.frames(); i++) {
                Instant t = s.start().plus(s.interval().multipliedBy(i)).plusMillis(random.nextInt(200));
                FaceInFrame face = new FaceInFrame(detected(s.kind(), left + i * 0.004, random), matches(s, random));
                lines.add(new Line(t, writer.record(s.stream(), streamNumber, t, 2 + random.nextDouble() * 6,
                        List.of(face))));
            }
        }
        lines.sort(Comparator.comparing(Line::time));
        return lines;
    }

    private static Detected detected(Kind kind, double left, Random r) {
        boolean night = kind == Kind.NIGHT;
        return new Detected(left, 0.30 + r.nextDouble() * 0.1, 0.07 + r.nextDouble() * 0.02,
                0.16 + r.nextDouble() * 0.05, round(night ? 91 + r.nextDouble() * 5 : 99 + r.nextDouble() * 0.99),
                round(-20 + r.nextDouble() * 40), round(-10 + r.nextDouble() * 20), round(-8 + r.nextDouble() * 16),
                night ? round(4 + r.nextDouble() * 6) : round(45 + r.nextDouble() * 35),
                night ? round(5 + r.nextDouble() * 8) : round(60 + r.nextDouble() * 30));
    }

    private static List<Match> matches(Segment s, Random r) {
        if (s.kind() != Kind.MATCH) {
            return List.of();
        }
        return List.of(new Match(s.person(), round(Math.min(99.99, s.similarity() - 1 + r.nextDouble() * 2))));
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
