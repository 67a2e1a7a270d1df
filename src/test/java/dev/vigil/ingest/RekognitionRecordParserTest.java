package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Json;
import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.MalformedRecordException;
import dev.vigil.model.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RekognitionRecordParserTest {

    private static final String FIXTURES = "fixtures/rekognition-kds/";
    private static final String DOC_EXAMPLE = "doc-example-known-face.json";
    private static final String NO_EXTERNAL_ID = "real-known-face-no-external-id.json";
    private static final String UNKNOWN = "real-unknown-face.json";
    private static final String PAIR = "real-unknown-face-same-fragment-pair.jsonl";

    private final ObjectMapper json = Json.mapper();
    private final RekognitionRecordParser parser = new RekognitionRecordParser(json);

    // ---- well-formed records -------------------------------------------------------------------------

    @Test
    void everyFixtureRecordParsesIntoOneObservation() {
        for (String file : List.of(DOC_EXAMPLE, NO_EXTERNAL_ID, UNKNOWN)) {
            assertEquals(1, parse(fixture(file)).size(), file);
        }
        for (String line : pairLines()) {
            assertEquals(1, parse(line).size(), PAIR);
        }
    }

    @Test
    void exponentNotationTimestampsGiveProducerTimePlusFrameOffset() {
        FaceObservation o = single(fixture(UNKNOWN));

        // ProducerTimestamp 1.605140566901E9, FrameOffsetInSeconds 0.0
        assertEquals(Instant.parse("2020-11-12T00:22:46.901Z"), o.frameTime());
        assertEquals(Instant.ofEpochMilli(1_605_140_566_901L), o.frameTime());
        assertEquals(Instant.parse("2020-11-12T00:22:46.901Z"), o.source().producerTimestamp());
    }

    @Test
    void integerFrameOffsetIsAddedToProducerTimestamp() {
        FaceObservation o = single(fixture(DOC_EXAMPLE));

        // 1510552593.193 + 2
        assertEquals(Instant.parse("2017-11-13T05:56:33.193Z"), o.source().producerTimestamp());
        assertEquals(Instant.parse("2017-11-13T05:56:35.193Z"), o.frameTime());
    }

    @Test
    void fractionalFrameOffsetIsAddedToProducerTimestamp() {
        FaceObservation o = single(fixture(NO_EXTERNAL_ID));

        // 1586738207.249 + 0.0020000000949949026
        assertEquals(Instant.parse("2020-04-13T00:36:47.251Z"), o.frameTime());
    }

    @Test
    void fortySevenDigitFragmentNumberIsKeptExactly() {
        FaceObservation o = single(fixture(UNKNOWN));

        assertEquals("91343852333181467302591170480509604486953280253", o.source().fragmentNumber());
        assertEquals(47, o.source().fragmentNumber().length());
    }

    @Test
    void sourceCarriesEngineArnAndTransportRef() {
        Source s = single(fixture(UNKNOWN)).source();

        assertEquals(Source.STREAM_PROCESSOR, s.engine());
        assertEquals("arn:aws:kinesisvideo:us-east-1:961394851336:stream/face_recognition/1604277868692",
                s.streamArn());
        assertEquals("test#0", s.ref());
    }

    @Test
    void cameraKeyIsTheStreamNameWithoutCreationTime() {
        assertEquals("face_recognition", single(fixture(UNKNOWN)).cameraKey());
        assertEquals("macbook-camera", single(fixture(NO_EXTERNAL_ID)).cameraKey());
    }

    @Test
    void docExampleArnWithoutCreationTimeAndPlaceholderAccountParses() {
        FaceObservation o = single(fixture(DOC_EXAMPLE));

        assertEquals("stream-name", o.cameraKey());
        assertEquals("arn:aws:kinesisvideo:us-west-2:nnnnnnnnnnnn:stream/stream-name", o.source().streamArn());
        assertEquals("91343852333289682796718532614445757584843717598", o.source().fragmentNumber());
    }

    @Test
    void docExampleMatchKeepsExternalImageIdAsPersonId() {
        FaceObservation o = single(fixture(DOC_EXAMPLE));

        FaceMatch best = o.bestMatch();
        assertNotNull(best);
        assertEquals("matchedImage.jpeg", best.personId());
        assertEquals("ed1b560f-d6af-5158-989a-ff586c931545", best.faceId());
        assertEquals(88.863960, best.similarity(), 1e-9);
    }

    @Test
    void detectedFaceDetailsAreRead() {
        FaceObservation o = single(fixture(DOC_EXAMPLE));

        assertEquals(0, o.faceIndex());
        assertEquals(0.075, o.face().box().height(), 1e-12);
        assertEquals(0.05625, o.face().box().width(), 1e-12);
        assertEquals(0.428125, o.face().box().left(), 1e-12);
        assertEquals(0.40833333, o.face().box().top(), 1e-12);
        assertEquals(99.975174, o.face().confidence(), 1e-9);
        assertEquals(40.592964, o.face().brightness(), 1e-9);
        assertEquals(96.09616, o.face().sharpness(), 1e-9);
        assertEquals(23.84388, o.face().yaw(), 1e-9);
        assertEquals(2.9691637, o.face().pitch(), 1e-9);
        assertEquals(-6.8904796, o.face().roll(), 1e-9);
    }

    @Test
    void absentExternalImageIdGivesNullPersonIdAndKeepsFaceId() {
        FaceMatch best = single(fixture(NO_EXTERNAL_ID)).bestMatch();

        assertNotNull(best);
        assertNull(best.personId());
        assertEquals("be032393-962b-48bd-8c1e-c2e9d7f999f0", best.faceId());
        assertEquals(99.89643, best.similarity(), 1e-9);
    }

    @Test
    void emptyMatchedFacesGivesNoMatches() {
        FaceObservation o = single(fixture(UNKNOWN));

        assertTrue(o.matches().isEmpty());
        assertNull(o.bestMatch());
    }

    @Test
    void absentMatchedFacesGivesNoMatches() {
        String payload = edit(fixture(DOC_EXAMPLE), root -> faceEntry(root, 0).remove("MatchedFaces"));

        assertTrue(single(payload).matches().isEmpty());
    }

    @Test
    void jsonlPairGivesTwoObservationsOfOneFragmentOneSecondApart() {
        List<String> lines = pairLines();
        assertEquals(2, lines.size());

        FaceObservation first = single(lines.get(0));
        FaceObservation second = single(lines.get(1));

        assertEquals(first.source().fragmentNumber(), second.source().fragmentNumber());
        assertEquals("91343852333181902899028673905925406775303508824", first.source().fragmentNumber());
        assertEquals(first.source().producerTimestamp(), second.source().producerTimestamp());
        // 1.605467324071E9 + 3.269 and + 4.269
        assertEquals(Instant.parse("2020-11-15T19:08:47.340Z"), first.frameTime());
        assertEquals(Instant.parse("2020-11-15T19:08:48.340Z"), second.frameTime());
        assertEquals(Duration.ofSeconds(1), Duration.between(first.frameTime(), second.frameTime()));
        assertEquals("face_recognition", first.cameraKey());
        assertTrue(first.matches().isEmpty() && second.matches().isEmpty());
    }

    @Test
    void unknownFieldsAreIgnored() {
        String payload = edit(fixture(UNKNOWN), root -> {
            root.put("SomethingNewFromAws", "surprise");
            root.putObject("AnotherBlock").put("Nested", 42);
            ((ObjectNode) root.get("InputInformation").get("KinesisVideo")).put("FutureField", true);
            faceEntry(root, 0).withObjectProperty("DetectedFace").put("Emotions", "unexpected");
        });

        FaceObservation o = single(payload);

        assertEquals(Instant.parse("2020-11-12T00:22:46.901Z"), o.frameTime());
        assertEquals("face_recognition", o.cameraKey());
    }

    @Test
    void matchesAreSortedBestFirst() {
        String payload = edit(fixture(DOC_EXAMPLE), root -> {
            ArrayNode matched = faceEntry(root, 0).putArray("MatchedFaces");
            matched.add(match(82.5, "face-low", "carol"));
            matched.add(match(97.25, "face-high", "alice"));
            matched.add(match(90.0, "face-mid", "bob"));
        });

        List<FaceMatch> matches = single(payload).matches();

        assertEquals(List.of("face-high", "face-mid", "face-low"), matches.stream().map(FaceMatch::faceId).toList());
        assertEquals("alice", single(payload).bestMatch().personId());
    }

    @Test
    void recordWithTwoFacesGivesTwoObservationsWithFaceIndexZeroAndOne() {
        String payload = edit(fixture(DOC_EXAMPLE), root -> {
            ArrayNode faces = (ArrayNode) root.get("FaceSearchResponse");
            ObjectNode second = faces.get(0).deepCopy();
            second.putArray("MatchedFaces");
            second.withObjectProperty("DetectedFace").withObjectProperty("BoundingBox").put("Left", 0.1);
            faces.add(second);
        });

        List<FaceObservation> observations = parse(payload);

        assertEquals(2, observations.size());
        assertEquals(0, observations.get(0).faceIndex());
        assertEquals(1, observations.get(1).faceIndex());
        assertEquals(2, observations.get(0).facesInFrame());
        assertEquals(2, observations.get(1).facesInFrame());
        assertEquals(observations.get(0).frameTime(), observations.get(1).frameTime());
        assertEquals(observations.get(0).source(), observations.get(1).source());
        assertEquals("matchedImage.jpeg", observations.get(0).bestMatch().personId());
        assertNull(observations.get(1).bestMatch());
        assertEquals(0.1, observations.get(1).face().box().left(), 1e-12);
    }

    @Test
    void emptyFaceSearchResponseGivesZeroObservations() {
        String payload = edit(fixture(DOC_EXAMPLE), root -> root.putArray("FaceSearchResponse"));

        assertTrue(parse(payload).isEmpty());
    }

    @Test
    void missingPoseAndQualityGiveNaN() {
        String payload = edit(fixture(DOC_EXAMPLE), root -> {
            ObjectNode detected = faceEntry(root, 0).withObjectProperty("DetectedFace");
            detected.remove("Pose");
            detected.remove("Quality");
        });

        FaceObservation o = single(payload);

        assertTrue(Double.isNaN(o.face().yaw()));
        assertTrue(Double.isNaN(o.face().pitch()));
        assertTrue(Double.isNaN(o.face().roll()));
        assertTrue(Double.isNaN(o.face().brightness()));
        assertTrue(Double.isNaN(o.face().sharpness()));
    }

    @Test
    void missingFrameOffsetMeansTheProducerTimestamp() {
        String payload = edit(fixture(DOC_EXAMPLE),
                root -> ((ObjectNode) root.get("InputInformation").get("KinesisVideo")).remove("FrameOffsetInSeconds"));

        assertEquals(Instant.parse("2017-11-13T05:56:33.193Z"), single(payload).frameTime());
    }

    // ---- malformed records ---------------------------------------------------------------------------

    @Test
    void emptyStringIsMalformed() {
        assertMalformed("", "empty");
    }

    @Test
    void blankStringIsMalformed() {
        assertMalformed("  \n\t ", "empty");
    }

    @Test
    void nullPayloadIsMalformed() {
        assertMalformed(null, "empty");
    }

    @Test
    void textThatIsNotJsonIsMalformed() {
        assertMalformed("this is not json", "not JSON");
    }

    @Test
    void truncatedJsonIsMalformed() {
        String full = fixture(UNKNOWN);
        assertMalformed(full.substring(0, full.length() / 2), "not JSON");
    }

    @Test
    void recordFollowedByTrailingGarbageIsMalformed() {
        assertMalformed(fixture(UNKNOWN).strip() + " trailing garbage", "not JSON");
    }

    @Test
    void jsonArrayIsMalformed() {
        assertMalformed("[" + fixture(UNKNOWN) + "]", "not a JSON object");
    }

    @Test
    void oneMegabyteOfRandomGarbageIsMalformed() {
        byte[] bytes = new byte[1 << 20];
        new Random(42).nextBytes(bytes);
        String garbage = new String(bytes, StandardCharsets.ISO_8859_1);

        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> parser.parse(garbage, "test#0"));
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().startsWith("not JSON") || e.getMessage().startsWith("not a JSON object"),
                e.getMessage());
        assertTrue(e.getMessage().length() < 1_000, "message must not echo the garbage");
    }

    @Test
    void producerTimestampAsStringIsMalformed() {
        String payload = edit(fixture(UNKNOWN),
                root -> ((ObjectNode) root.get("InputInformation").get("KinesisVideo"))
                        .put("ProducerTimestamp", "1.605140566901E9"));

        assertMalformed(payload, "ProducerTimestamp");
    }

    @Test
    void missingFaceSearchResponseIsMalformed() {
        String payload = edit(fixture(UNKNOWN), root -> root.remove("FaceSearchResponse"));

        assertMalformed(payload, "FaceSearchResponse");
    }

    @Test
    void faceSearchResponseThatIsNotAnArrayIsMalformed() {
        String payload = edit(fixture(UNKNOWN), root -> root.putObject("FaceSearchResponse"));

        assertMalformed(payload, "FaceSearchResponse");
    }

    @Test
    void missingBoundingBoxIsMalformed() {
        String payload = edit(fixture(UNKNOWN),
                root -> faceEntry(root, 0).withObjectProperty("DetectedFace").remove("BoundingBox"));

        assertMalformed(payload, "BoundingBox");
    }

    @Test
    void nonKinesisVideoStreamArnIsMalformed() {
        String arn = "arn:aws:kinesis:us-east-1:961394851336:stream/face_recognition";
        String payload = edit(fixture(UNKNOWN),
                root -> ((ObjectNode) root.get("InputInformation").get("KinesisVideo")).put("StreamArn", arn));

        MalformedRecordException e = assertMalformed(payload, "StreamArn");
        assertTrue(e.getMessage().contains(arn), e.getMessage());
    }

    @Test
    void missingInputInformationIsMalformed() {
        String payload = edit(fixture(UNKNOWN), root -> root.remove("InputInformation"));

        assertMalformed(payload, "InputInformation");
    }

    @Test
    void missingFragmentNumberIsMalformed() {
        String payload = edit(fixture(UNKNOWN),
                root -> ((ObjectNode) root.get("InputInformation").get("KinesisVideo")).remove("FragmentNumber"));

        assertMalformed(payload, "FragmentNumber");
    }

    @Test
    void matchedFacesThatIsNotAnArrayIsMalformed() {
        String payload = edit(fixture(UNKNOWN), root -> faceEntry(root, 0).put("MatchedFaces", "none"));

        assertMalformed(payload, "MatchedFaces");
    }

    @Test
    void qualityValueThatIsNotANumberIsMalformed() {
        String payload = edit(fixture(UNKNOWN),
                root -> faceEntry(root, 0).withObjectProperty("DetectedFace").withObjectProperty("Quality")
                        .put("Sharpness", "high"));

        assertMalformed(payload, "Sharpness");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private List<FaceObservation> parse(String payload) {
        return parser.parse(payload, "test#0");
    }

    private FaceObservation single(String payload) {
        List<FaceObservation> observations = parse(payload);
        assertEquals(1, observations.size());
        return observations.get(0);
    }

    private MalformedRecordException assertMalformed(String payload, String expectedInMessage) {
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> parser.parse(payload, "test#0"));
        assertTrue(e.getMessage() != null && e.getMessage().contains(expectedInMessage),
                "message should name \"" + expectedInMessage + "\" but was: " + e.getMessage());
        return e;
    }

    private static String fixture(String name) {
        try (InputStream in = RekognitionRecordParserTest.class.getClassLoader().getResourceAsStream(FIXTURES + name)) {
            assertNotNull(in, "missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> pairLines() {
        return fixture(PAIR).lines().filter(l -> !l.isBlank()).toList();
    }

    /** The fixture as a JSON tree, changed by {@code change}, written back as text. */
    private String edit(String payload, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) json.readTree(payload);
            change.accept(root);
            return json.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode faceEntry(ObjectNode root, int index) {
        return (ObjectNode) root.get("FaceSearchResponse").get(index);
    }

    private ObjectNode match(double similarity, String faceId, String externalImageId) {
        ObjectNode m = json.createObjectNode();
        m.put("Similarity", similarity);
        ObjectNode face = m.putObject("Face");
        face.put("FaceId", faceId);
        face.put("ExternalImageId", externalImageId);
        face.put("Confidence", 99.9);
        return m;
    }
}
