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

        assertEquals(ids(decide(records)), ids(decide(arrivals.stream().map(Arrival::record).toList())));
    }

    @Property(tries = 200, seed = "1718")
    void reorderingRecordsWithinTheReorderWindowChangesNoAlert(@ForAll("days") Day day, @ForAll Random random) {
        List<String> records = day.records();
        List<Arrival> arrivals = new ArrayList<>();
        for (String r : records) {
            Instant t = PARSER.read(r, null).frameTime(); // a multi-shard stream: each record a little delayed
            arrivals.add(new Arrival(t.toEpochMilli() + random.nextDouble() * WINDOW.toMillis(), r));
        }
        arrivals.sort(Comparator.comparingDouble(Arrival::key));

        assertEquals(ids(decide(records)), ids(decide(arrivals.stream().map(Arrival::record).toList())));
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
        for (String camera : List.of("front-door", "driveway", "back-garden", "side-gate-cam")) {
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

    private record Arrival(double key, String record) {
    }

    private record Decided(Decider decider, List<Alert> alerts) {
    }

    private static List<Alert> decide(List<String> records) {
        return run(records).alerts();
    }

    /** Every record, parsed, through a fresh decider that keeps everything for the day (a one-day horizon). */
    private static Decided run(List<String> records) {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        FrameGate.Rules d = FrameGate.Rules.DEFAULTS;
        Decider decider = new Decider(HOUSEHOLD, new FrameGate(new FrameGate.Rules(d.reorderWindow(),
                d.futureTolerance(), Duration.ofDays(1), 100_000), metrics), metrics);
        List<Alert> alerts = new ArrayList<>();
        for (String r : records) {
            for (FaceObservation o : PARSER.parse(r, null)) {
                alerts.addAll(decider.decide(o));
            }
        }
        return new Decided(decider, alerts);
    }

    /** The alerts as "type id", sorted: the same set, and no id twice. */
    static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(a -> a.type().wire() + " " + a.id()).sorted().toList();
    }
}
