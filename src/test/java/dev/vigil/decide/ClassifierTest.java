package dev.vigil.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.Json;
import dev.vigil.config.Thresholds;
import dev.vigil.decide.Classifier.Classification;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.model.Face;
import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierTest {

    private static final Thresholds DEFAULTS = Thresholds.DEFAULTS;

    /** A frontal, sharp, well-lit, large face: passes every default gate. */
    private static final Face GOOD = new Face(new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 99.9, 60, 80, 5, 3, 1);

    // ---- matches -------------------------------------------------------------------------------------

    @Test
    void matchAtTheThresholdIsKnown() {
        Classification c = Classifier.classify(observation(GOOD, match("alice", 90.0)), DEFAULTS);

        assertEquals(Outcome.KNOWN, c.outcome());
        assertEquals("alice", c.match().personId());
        assertTrue(c.failedGates().isEmpty());
    }

    @Test
    void matchAboveTheThresholdIsKnown() {
        assertEquals(Outcome.KNOWN, Classifier.classify(observation(GOOD, match("alice", 99.5)), DEFAULTS).outcome());
    }

    @Test
    void matchJustBelowTheThresholdIsSuspected() {
        Classification c = Classifier.classify(observation(GOOD, match("alice", 89.99)), DEFAULTS);

        assertEquals(Outcome.SUSPECTED, c.outcome());
        assertEquals("alice", c.match().personId());
        assertEquals(89.99, c.match().similarity());
    }

    @Test
    void aMatchDecidesEvenWhenTheFaceWouldFailQualityGates() {
        Classification c = Classifier.classify(observation(profile(80), match("alice", 95)), DEFAULTS);

        assertEquals(Outcome.KNOWN, c.outcome());
        assertTrue(c.failedGates().isEmpty());
    }

    @Test
    void theBestMatchIsTheOneClassified() {
        FaceObservation o = observation(GOOD, match("alice", 95), match("bob", 85));

        Classification c = Classifier.classify(o, DEFAULTS);

        assertEquals(Outcome.KNOWN, c.outcome());
        assertEquals("alice", c.match().personId());
    }

    @Test
    void perCameraMatchThresholdOverridesThePolicyThreshold() {
        Thresholds strictCamera = new Thresholds(97.0, null, null, null, null, null, null).over(DEFAULTS);
        FaceObservation o = observation(GOOD, match("alice", 95));

        assertEquals(Outcome.KNOWN, Classifier.classify(o, DEFAULTS).outcome());
        assertEquals(Outcome.SUSPECTED, Classifier.classify(o, strictCamera).outcome());
        // every other threshold is inherited
        assertEquals(DEFAULTS.maxYaw(), strictCamera.maxYaw());
        assertEquals(DEFAULTS.minFaceHeight(), strictCamera.minFaceHeight());
    }

    // ---- no match ------------------------------------------------------------------------------------

    @Test
    void noMatchAndEveryGatePassedIsUnknown() {
        Classification c = Classifier.classify(observation(GOOD), DEFAULTS);

        assertEquals(Outcome.UNKNOWN, c.outcome());
        assertNull(c.match());
        assertTrue(c.failedGates().isEmpty());
    }

    @Test
    void faceExactlyAtEveryLimitIsUnknown() {
        Face atLimits = new Face(new Face.BoundingBox(0, 0, 0.05, 0.05), 90, 15, 20, -45, 30, 0);

        assertEquals(Outcome.UNKNOWN, Classifier.classify(observation(atLimits), DEFAULTS).outcome());
    }

    @Test
    void lowConfidenceFailsTheConfidenceGate() {
        assertUnidentifiable(face(89.9, 60, 80, 5, 3, 0.2), "confidence");
    }

    @Test
    void blurryFaceFailsTheSharpnessGate() {
        assertUnidentifiable(face(99, 60, 19.9, 5, 3, 0.2), "sharpness");
    }

    @Test
    void darkFaceFailsTheBrightnessGate() {
        assertUnidentifiable(face(99, 14.9, 80, 5, 3, 0.2), "brightness");
    }

    @Test
    void profileFaceFailsTheYawGateWhicheverWayItTurns() {
        assertUnidentifiable(face(99, 60, 80, 45.1, 3, 0.2), "yaw");
        assertUnidentifiable(face(99, 60, 80, -45.1, 3, 0.2), "yaw");
    }

    @Test
    void tiltedFaceFailsThePitchGateWhicheverWayItTilts() {
        assertUnidentifiable(face(99, 60, 80, 5, 30.1, 0.2), "pitch");
        assertUnidentifiable(face(99, 60, 80, 5, -30.1, 0.2), "pitch");
    }

    @Test
    void smallFaceFailsTheFaceSizeGate() {
        assertUnidentifiable(face(99, 60, 80, 5, 3, 0.049), "face size");
    }

    @Test
    void everyFailedGateIsListedInGateOrder() {
        Face hopeless = face(50, 5, 5, 90, 60, 0.01);

        assertUnidentifiable(hopeless, "confidence", "sharpness", "brightness", "yaw", "pitch", "face size");
    }

    @Test
    void unreportedValuesFailTheirGates() {
        assertUnidentifiable(face(Double.NaN, 60, 80, 5, 3, 0.2), "confidence");
        assertUnidentifiable(face(99, Double.NaN, 80, 5, 3, 0.2), "brightness");
        assertUnidentifiable(face(99, 60, Double.NaN, 5, 3, 0.2), "sharpness");
        assertUnidentifiable(face(99, 60, 80, Double.NaN, 3, 0.2), "yaw");
        assertUnidentifiable(face(99, 60, 80, 5, Double.NaN, 0.2), "pitch");
        assertUnidentifiable(face(99, 60, 80, 5, 3, Double.NaN), "face size");
    }

    @Test
    void faceWithNoQualityOrPoseReportedIsUnidentifiable() {
        Face bare = new Face(new Face.BoundingBox(0.4, 0.3, 0.1, 0.2), 99.9,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        assertUnidentifiable(bare, "sharpness", "brightness", "yaw", "pitch");
    }

    @Test
    void perCameraGateOverrideAdmitsASmallerFace() {
        Face small = face(99, 60, 80, 5, 3, 0.045);
        Thresholds wideShotCamera = new Thresholds(null, null, null, null, null, null, 0.04).over(DEFAULTS);

        assertEquals(Outcome.UNIDENTIFIABLE, Classifier.classify(observation(small), DEFAULTS).outcome());
        assertEquals(Outcome.UNKNOWN, Classifier.classify(observation(small), wideShotCamera).outcome());
    }

    @Test
    void perCameraYawOverrideAdmitsAProfileFace() {
        Thresholds lenient = new Thresholds(null, null, null, null, 75.0, null, null).over(DEFAULTS);

        assertEquals(Outcome.UNKNOWN, Classifier.classify(observation(profile(70)), lenient).outcome());
    }

    // ---- real captures -------------------------------------------------------------------------------

    @Test
    void realUnknownProfileFacesAreUnidentifiableUnderDefaultMaxYaw() throws IOException {
        List<FaceObservation> real = new ArrayList<>(parseFixture("real-unknown-face.json"));
        real.addAll(parseFixture("real-unknown-face-same-fragment-pair.jsonl"));
        assertEquals(3, real.size());

        for (FaceObservation o : real) {
            double yaw = Math.abs(o.face().yaw());
            assertTrue(yaw > 67 && yaw < 71, "yaw about 68-70 degrees, was " + o.face().yaw());
            assertTrue(o.matches().isEmpty());

            Classification c = Classifier.classify(o, DEFAULTS);

            assertEquals(Outcome.UNIDENTIFIABLE, c.outcome(), "yaw " + o.face().yaw() + " > maxYaw 45");
            assertEquals(List.of("yaw"), c.failedGates());
        }
    }

    @Test
    void realDocExampleMatchBelowDefaultThresholdIsSuspected() throws IOException {
        FaceObservation o = parseFixture("doc-example-known-face.json").get(0);

        Classification c = Classifier.classify(o, DEFAULTS);

        assertEquals(Outcome.SUSPECTED, c.outcome()); // similarity 88.86 < 90
        assertEquals("matchedImage.jpeg", c.match().personId());
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static void assertUnidentifiable(Face f, String... gates) {
        Classification c = Classifier.classify(observation(f), DEFAULTS);
        assertEquals(Outcome.UNIDENTIFIABLE, c.outcome());
        assertNull(c.match());
        assertEquals(List.of(gates), c.failedGates());
    }

    private static Face face(double confidence, double brightness, double sharpness, double yaw, double pitch,
                             double height) {
        return new Face(new Face.BoundingBox(0.4, 0.3, 0.1, height), confidence, brightness, sharpness, yaw, pitch, 0);
    }

    private static Face profile(double yaw) {
        return face(99.9, 60, 80, yaw, 3, 0.2);
    }

    private static FaceMatch match(String personId, double similarity) {
        return new FaceMatch(personId, "face-" + personId, similarity);
    }

    private static FaceObservation observation(Face face, FaceMatch... matches) {
        Source source = new Source(Source.STREAM_PROCESSOR, "arn:aws:kinesisvideo:eu-west-2:123456789012:stream/cam/1",
                "91343852333181467302591170480509604486953280253", Instant.parse("2024-01-01T12:00:00Z"), "test#0");
        return new FaceObservation("cam", Instant.parse("2024-01-01T12:00:00Z"), 0, 1, face, List.of(matches), source);
    }

    private static List<FaceObservation> parseFixture(String name) throws IOException {
        RekognitionRecordParser parser = new RekognitionRecordParser(Json.mapper());
        try (InputStream in = ClassifierTest.class.getClassLoader()
                .getResourceAsStream("fixtures/rekognition-kds/" + name)) {
            assertNotNull(in, name);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!name.endsWith(".jsonl")) {
                return parser.parse(text, name);
            }
            List<FaceObservation> result = new ArrayList<>();
            text.lines().filter(line -> !line.isBlank()).forEach(line -> result.addAll(parser.parse(line, name)));
            return result;
        }
    }
}
