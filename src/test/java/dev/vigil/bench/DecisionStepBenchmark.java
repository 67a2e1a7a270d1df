package dev.vigil.bench;

import dev.vigil.Json;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.decide.Decider;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.model.FaceObservation;
import dev.vigil.sample.ScenarioGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The decision step alone (BENCHMARKS.md, "Frame identity and the reorder window"): the benchmark's generated
 * records, parsed once, then decided by a fresh {@link Decider} per round with no Camel around it, in three
 * arrival orders: in order; every record twice (a retry right after it); and over two shards, each record up to
 * 2 s late (its cameras declared as of two shards). It uses only the Decider API that existed before issue 17
 * (the declaration by reflection, when there), so the same class measures an older jar:
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) dev.vigil.bench.DecisionStepBenchmark [N] [ROUNDS]
 * java -cp target/test-classes:OLD/vigil.jar dev.vigil.bench.DecisionStepBenchmark [N] [ROUNDS]
 * </pre>
 */
public final class DecisionStepBenchmark {

    private DecisionStepBenchmark() {
    }

    /**
     * Tells the decider over how many shards every camera's frames come, as the Kinesis source does at start
     * (Decider.shards, since issue 17's known gaps were closed); an older jar, which had no such call, saw the
     * shards in the records' source references instead.
     */
    private static void declare(Decider decider, List<FaceObservation> observations, int shards) {
        java.lang.reflect.Method declare;
        try {
            declare = Decider.class.getMethod("shards", String.class, int.class);
        } catch (NoSuchMethodException older) {
            return;
        }
        try {
            for (String camera : observations.stream().map(FaceObservation::cameraKey).distinct().toList()) {
                declare.invoke(decider, camera, shards); // the bench streams are unclaimed: a camera's id is its stream
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Household household = HouseholdLoader.load("classpath:config/household.example.yaml");
        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        List<String> records = ScenarioGenerator.bench(n);
        List<FaceObservation> inOrder = new ArrayList<>();
        List<FaceObservation> twice = new ArrayList<>();
        record Late(double key, FaceObservation o) {
        }
        List<Late> late = new ArrayList<>();
        Random random = new Random(17);
        for (int i = 0; i < records.size(); i++) {
            String shardRef = "results/shardId-00000000000" + random.nextInt(2) + "/" + i;
            for (FaceObservation o : parser.parse(records.get(i), "bench#" + i)) {
                inOrder.add(o);
                twice.add(o);
                twice.add(o);
            }
            for (FaceObservation o : parser.parse(records.get(i), shardRef)) {
                late.add(new Late(o.frameTime().toEpochMilli() + random.nextDouble() * 2000, o));
            }
        }
        late.sort(Comparator.comparingDouble(Late::key));
        List<FaceObservation> reordered = late.stream().map(Late::o).toList();
        double[] best = new double[3];
        for (int round = 1; round <= rounds; round++) {
            double a = rate(household, inOrder, 1);
            double b = rate(household, twice, 1);
            double c = rate(household, reordered, 2);
            System.out.printf("round %d: in order %,.0f obs/s; each twice %,.0f obs/s; two shards, <= 2 s late %,.0f obs/s%n",
                    round, a, b, c);
            best[0] = Math.max(best[0], a);
            best[1] = Math.max(best[1], b);
            best[2] = Math.max(best[2], c);
        }
        System.out.printf("best: in order %,.0f obs/s; each twice %,.0f obs/s; two shards, <= 2 s late %,.0f obs/s%n",
                best[0], best[1], best[2]);
    }

    private static double rate(Household household, List<FaceObservation> observations, int shards) {
        Decider decider = new Decider(household, new SimpleMeterRegistry());
        if (shards > 1) {
            declare(decider, observations, shards);
        }
        long alerts = 0;
        long start = System.nanoTime();
        for (FaceObservation o : observations) {
            alerts += decider.decide(o).size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (alerts == 0) {
            throw new IllegalStateException("no alerts: the scenario did not exercise the decision");
        }
        return observations.size() / seconds;
    }
}
