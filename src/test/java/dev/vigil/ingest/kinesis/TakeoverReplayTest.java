package dev.vigil.ingest.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.bench.StreamsBenchmark;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.decide.Decider;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.model.Alert;
import dev.vigil.model.FaceObservation;
import dev.vigil.sample.ScenarioGenerator;
import dev.vigil.testing.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new owner of a stream decides, without Kinesis: one camera's records (the streams benchmark's live camera,
 * someone always in view) are decided in one continuous run that checkpoints as the Kinesis source does
 * ({@link ShardProgress} behind {@link Decider#retainSince}); at many points a fresh decider (the new owner) replays
 * from the checkpoint of that moment to the end. It must give the alert ids of the continuous run from the move on,
 * and no id the continuous run does not give (what it gives again for records before the move, the delivered-alert
 * store keeps from being sent twice). KinesisHandoverTest does the same through two real instances.
 */
class TakeoverReplayTest {

    /** Records a second, fewer than max replay: every checkpoint is where the decisions put it. */
    private static final int RECORDS = 590;

    @TempDir
    Path dir;

    @Test
    void aNewOwnerResumingAtAnyCheckpointAlertsExactlyAsOneContinuousRun() {
        Household household = HouseholdLoader.load(household(dir, "results-0").toString());
        RekognitionRecordParser parser = new RekognitionRecordParser(new ObjectMapper());
        int moves = 0;
        int checkpointsMoved = 0;
        for (long seed = 1030; seed < 1038; seed++) {
            var camera = ScenarioGenerator.liveCamera("cam-000", seed);
            Instant t0 = Instant.parse("2026-12-06T22:00:00Z");
            List<RekognitionRecordParser.Parsed> records = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                records.add(parser.read(camera.apply(t0.plusSeconds(i)), "r#" + i));
            }
            Decider continuous = new Decider(household, new SimpleMeterRegistry());
            ShardProgress progress = new ShardProgress(Duration.ofMinutes(10));
            Map<String, Integer> alertedAt = new HashMap<>();
            int[] checkpointAfter = new int[RECORDS];
            int checkpoint = -1;
            for (int i = 0; i < RECORDS; i++) {
                final int record = i;
                decide(continuous, records.get(i)).forEach(id -> alertedAt.put(id, record));
                progress.handled(Integer.toString(i), records.get(i).frameTime());
                String safe = progress.checkpointable(continuous.retainSince(records.get(i).cameraKey()));
                checkpoint = safe == null ? checkpoint : Integer.parseInt(safe);
                checkpointAfter[i] = checkpoint;
            }
            for (int move = 30; move < RECORDS; move += 29) {
                Decider newOwner = new Decider(household, new SimpleMeterRegistry());
                TreeSet<String> given = new TreeSet<>();
                for (int i = checkpointAfter[move] + 1; i < RECORDS; i++) {
                    given.addAll(decide(newOwner, records.get(i)));
                }
                final int moved = move;
                TreeSet<String> extra = new TreeSet<>(given);
                extra.removeAll(alertedAt.keySet());
                TreeSet<String> lost = new TreeSet<>(alertedAt.keySet());
                lost.removeIf(id -> alertedAt.get(id) <= moved || given.contains(id));
                String where = "seed " + seed + ", moved after record " + move + ", checkpoint at " + checkpointAfter[move];
                assertEquals(new TreeSet<>(), extra, "ids the continuous run does not give, " + where);
                assertEquals(new TreeSet<>(), lost, "ids the continuous run gives after the move, " + where);
                moves++;
                checkpointsMoved += checkpointAfter[move] >= 0 ? 1 : 0;
            }
        }
        assertTrue(checkpointsMoved > 0, "the checkpoint moves on (" + checkpointsMoved + " of " + moves
                + " moves resumed after the first record): the replays are not all from the start");
    }

    /** The streams benchmark's household, of its camera cam-000 with this results stream. */
    static Path household(Path dir, String resultsStream) {
        return Fixtures.write(dir.resolve("household.yaml"), "cameras:\n" + StreamsBenchmark.camera(0, resultsStream)
                + StreamsBenchmark.PEOPLE_AND_POLICY);
    }

    private static List<String> decide(Decider decider, RekognitionRecordParser.Parsed record) {
        List<String> ids = new ArrayList<>();
        for (FaceObservation o : record.observations()) {
            decider.decide(o, null).stream().map(Alert::id).forEach(ids::add);
        }
        return ids;
    }
}
