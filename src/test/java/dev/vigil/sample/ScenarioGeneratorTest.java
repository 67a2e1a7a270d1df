package dev.vigil.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.Json;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.model.MalformedRecordException;
import dev.vigil.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioGeneratorTest {

    @Test
    void bundledScenarioIsExactlyWhatTheGeneratorWrites() {
        assertEquals(ScenarioGenerator.scenario(), Fixtures.lines(Fixtures.SCENARIO),
                "regenerate: java -jar target/vigil.jar sample > src/main/resources/sample/scenario.jsonl");
    }

    @Test
    void scenarioRecordsParseLikeRealOnesExceptTheOnePoisonRecord() {
        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        List<String> lines = ScenarioGenerator.scenario();
        long malformed = lines.stream().filter(l -> {
            try {
                parser.parse(l, "t");
                return false;
            } catch (MalformedRecordException e) {
                return true;
            }
        }).count();
        assertEquals(1, malformed);
        assertTrue(lines.get(0).contains("\"ServerTimestamp\":1.79"), "epoch seconds in exponent notation, as real records");
    }

    @Test
    void benchRecordsAreValidAndAsManyAsAskedFor() {
        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        List<String> records = ScenarioGenerator.bench(5_000);
        assertEquals(5_000, records.size());
        records.forEach(r -> assertEquals(1, parser.parse(r, "t").size()));
    }

    @Test
    void liveCameraRecordsCarryOneFaceAtTheCallersFrameTimeOfEveryKind() {
        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        java.util.function.Function<java.time.Instant, String> camera = ScenarioGenerator.liveCamera("cam-007", 7);
        java.time.Instant t = java.time.Instant.parse("2026-12-06T22:00:00Z");
        java.util.Set<Boolean> matched = new java.util.HashSet<>();
        for (int i = 0; i < 300; i++) {
            java.time.Instant frame = t.plusSeconds(i);
            List<dev.vigil.model.FaceObservation> faces = parser.parse(camera.apply(frame), "t");
            assertEquals(1, faces.size());
            assertEquals(frame, faces.get(0).frameTime());
            assertEquals("cam-007", faces.get(0).cameraKey());
            matched.add(faces.get(0).bestMatch() != null);
        }
        assertEquals(java.util.Set.of(true, false), matched, "known or suspected faces, and faces with no match");
    }
}
