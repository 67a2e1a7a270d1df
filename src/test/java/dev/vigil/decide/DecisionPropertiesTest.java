package dev.vigil.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vigil.Json;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.model.Alert;
import dev.vigil.model.FaceObservation;
import dev.vigil.sample.ScenarioGenerator;
import dev.vigil.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the decision over generated days ({@link ScenarioGenerator#randomDay}): the alerts and their
 * ids do not depend on duplicated records or on records reordered within the reorder window, and visits of one
 * identity at one camera never overlap. A fixed number of tries from a fixed seed: jqwik prints the seed with
 * each property's report, and a failure prints the shrunk day (its generator seed) to reproduce it.
 */
class DecisionPropertiesTest {

    static final Household HOUSEHOLD = HouseholdLoader.load("config/household.example.yaml");
    private static final RekognitionRecordParser PARSER = new RekognitionRecordParser(Json.mapper());
    private static final Duration WINDOW = FrameGate.Rules.DEFAULTS.reorderWindow();
    /** The cameras of a generated day: the household's, and the side gate's stream that no camera claims. */
    private static final List<String> CAMERAS = List.of("front-door", "driveway", "back-garden", "side-gate-cam");

    /** A generated day: the generator's seed and the visits per camera. */
    record Day(long seed, int visits) {
        List<String> records() {
            return ScenarioGenerator.randomDay(seed, visits);
        }
    }

    @Provide
    static Arbitrary<Day> days() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 12)).as(Day::new);
    }

    @Property(tries = 200, seed = "1717")
    void duplicatingRecordsAtRandomChangesNoAlert(@ForAll("days") Day day, @ForAll Random random) {
        List<String> records = day.records();
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            arrivals.add(new Arrival(i, records.get(i)));
            int copies = random.nextInt(3); // Kinesis at-least-once and producer retries: 0-2 more, a little later
            for (int c = 0; c < copies; c++) {
                arrivals.add(new Arrival(i + 0.5 + random.nextDouble() * 20, records.get(i)));
            }
        }
        arrivals.sort(Comparator.comparingDouble(Arrival::key));

        Decided duplicated = run(arrivals.stream().map(Arrival::record).toList());
        Statistics.label("duplicates").collect(duplicated.count("vigil.frames.duplicate") > 0);
        assertEquals(ids(decide(records)), ids(duplicated.alerts()));
    }

    @Property(tries = 200, seed = "1718")
    void reorderingRecordsWithinTheReorderWindowChangesNoAlert(@ForAll("days") Day day, @ForAll Random random) {
        List<String> records = day.records();
        Decided reordered = arrive(overTwoShards(records, random), 2);
        Statistics.label("frames out of order").collect(reordered.count("vigil.frames.reordered") > 0);
        assertEquals(ids(decide(records)), ids(reordered.alerts()));
    }

    @Property(tries = 200, seed = "1719")
    void visitsOfOneIdentityAtOneCameraNeverOverlap(@ForAll("days") Day day, @ForAll Random random) {
        List<String> records = new ArrayList<>(day.records());
        for (int i = 0; i < records.size(); i++) { // some disorder and duplicates, as a live stream has
            int j = Math.min(records.size() - 1, i + random.nextInt(3));
            String swap = records.get(i);
            records.set(i, records.get(j));
            records.set(j, swap);
        }
        Decided decided = run(records);
        for (String camera : CAMERAS) {
            Map<String, List<String[]>> byIdentity = new HashMap<>();
            decided.decider().visitsOf(camera).forEach(v -> byIdentity.computeIfAbsent(v[0], k -> new ArrayList<>()).add(v));
            byIdentity.forEach((identity, visits) -> {
                visits.sort(Comparator.comparing(v -> Instant.parse(v[1])));
                for (int i = 0; i < visits.size(); i++) {
                    Instant first = Instant.parse(visits.get(i)[1]);
                    Instant last = Instant.parse(visits.get(i)[2]);
                    assertFalse(last.isBefore(first), "negative visit duration at " + camera);
                    if (i > 0) {
                        Instant previousLast = Instant.parse(visits.get(i - 1)[2]);
                        assertFalse(!first.isAfter(previousLast), camera + " " + identity + ": visit from " + first
                                + " overlaps the one until " + previousLast);
                    }
                }
            });
        }
    }

    /** The records as a results stream of two shards hands them over: each on one shard, read a little late (< the window). */
    static List<Arrival> overTwoShards(List<String> records, Random random) {
        List<Arrival> arrivals = new ArrayList<>();
        for (String r : records) {
            Instant t = PARSER.read(r, null).frameTime();
            arrivals.add(new Arrival(t.toEpochMilli() + random.nextDouble() * WINDOW.toMillis(), r,
                    "results/shardId-00000000000" + random.nextInt(2) + "/" + t.toEpochMilli()));
        }
        arrivals.sort(Comparator.comparingDouble(Arrival::key));
        return arrivals;
    }

    /** A record as a source hands it over: its place in the arrival order and its transport position. */
    record Arrival(double key, String record, String ref) {
        Arrival(double key, String record) {
            this(key, record, null);
        }
    }

    record Decided(Decider decider, List<Alert> alerts, SimpleMeterRegistry metrics) {
        double count(String counter) {
            return metrics.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
        }
    }

    static List<Alert> decide(List<String> records) {
        return run(records).alerts();
    }

    private static Decided run(List<String> records) {
        return arrive(records.stream().map(r -> new Arrival(0, r)).toList(), 1);
    }

    /**
     * Every record, parsed, through a fresh decider that keeps everything for the day (a one-day horizon) and
     * knows that every camera's results come over {@code shards} shards (as the Kinesis source declares); then
     * the wall clock moves on, and the alerts still held go out (as the timer route sends them).
     */
    static Decided arrive(List<Arrival> arrivals, int shards) {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        FrameGate.Rules d = FrameGate.Rules.DEFAULTS;
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
        Decider decider = new Decider(HOUSEHOLD, new FrameGate(new FrameGate.Rules(d.reorderWindow(),
                d.futureTolerance(), Duration.ofDays(1), 100_000), metrics, clock), metrics);
        CAMERAS.forEach(camera -> decider.shards(camera, shards));
        List<Alert> alerts = new ArrayList<>();
        for (Arrival a : arrivals) {
            for (FaceObservation o : PARSER.parse(a.record(), a.ref())) {
                alerts.addAll(decider.decide(o));
            }
        }
        clock.advance(Duration.ofHours(1));
        alerts.addAll(decider.releaseDue());
        return new Decided(decider, alerts, metrics);
    }

    /** The alerts as "type id", sorted: the same set, and no id twice. */
    static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(a -> a.type().wire() + " " + a.id()).sorted().toList();
    }
}
