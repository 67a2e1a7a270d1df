package dev.vigil.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.vigil.Headers;
import dev.vigil.model.Face;
import dev.vigil.model.FaceMatch;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.MalformedRecordException;
import dev.vigil.model.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Turns one Rekognition face-search stream-processor record (the JSON payload of one Kinesis record)
 * into one {@link FaceObservation} per detected face. Format: ../shared/docs/aws-facts.md section 2;
 * timestamps are epoch seconds as doubles (often in exponent notation), FragmentNumber is a 47-digit
 * decimal kept as text, ExternalImageId may be absent, unknown fields are ignored.
 */
public class RekognitionRecordParser implements Processor {

    /** arn:aws:kinesisvideo:REGION:ACCOUNT:stream/NAME/CREATION_TIME (AWS's doc example omits the last part). */
    private static final Pattern STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:kinesisvideo:[^:]*:[^:]*:stream/([a-zA-Z0-9_.-]{1,256})(/[^/]*)?");

    private final ObjectReader json;
    /** Told the camera key ("" when the record did not parse) of each record the route step is done with. */
    private volatile Consumer<String> counted = key -> { };

    public RekognitionRecordParser(ObjectMapper json) {
        this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Whom the route step tells the camera key of each record it is done with, parsed or not ("" when not): the
     * record count (vigil_records_total, DeliveryEvents). Counting here rather than in a route policy on the decide
     * route spares every record the policy's before and after calls (BENCHMARKS.md, "ratio, session 6").
     */
    public void countRecords(Consumer<String> counter) {
        this.counted = counter;
    }

    /**
     * Parses the exchange's body and records the frame time and camera key as exchange
     * properties, for sources that checkpoint by event time.
     */
    private Parsed observe(Exchange exchange) {
        String payload = exchange.getMessage().getBody(String.class);
        Parsed record = read(payload, exchange.getProperty(Headers.SOURCE_REF, String.class));
        exchange.setProperty(Headers.FRAME_TIME, record.frameTime());
        exchange.setProperty(Headers.CAMERA_KEY, record.cameraKey());
        return record;
    }

    /**
     * The route step as a processor (no bean-method lookup per record): the body becomes the observations, and the
     * record is counted under its camera key ("" when it did not parse).
     */
    @Override
    public void process(Exchange exchange) {
        String key = "";
        try {
            Parsed record = observe(exchange);
            key = record.cameraKey();
            exchange.getMessage().setBody(record.observations());
        } finally {
            counted.accept(key);
        }
    }

    public List<FaceObservation> parse(String payload, String ref) {
        return read(payload, ref).observations();
    }

    /** One record: the camera (stream name), the frame time, and one observation per face. */
    public record Parsed(String cameraKey, Instant frameTime, List<FaceObservation> observations) {
    }

    public Parsed read(String payload, String ref) {
        if (payload == null || payload.isBlank()) {
            throw new MalformedRecordException("empty record");
        }
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage();
            int location = problem.indexOf(" (start marker at");
            throw new MalformedRecordException("not JSON: " + (location > 0 ? problem.substring(0, location) : problem));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedRecordException("not a JSON object");
        }
        JsonNode video = object(object(root, "InputInformation"), "KinesisVideo");
        String streamArn = text(video, "StreamArn");
        Matcher arn = STREAM_ARN.matcher(streamArn);
        if (!arn.matches()) {
            throw new MalformedRecordException("StreamArn is not a Kinesis Video stream ARN: " + streamArn);
        }
        double producerSeconds = number(video, "ProducerTimestamp");
        double offset = video.has("FrameOffsetInSeconds") ? number(video, "FrameOffsetInSeconds") : 0;
        Instant producer = seconds(producerSeconds);
        Instant frameTime = seconds(producerSeconds + offset);
        Source source = new Source(Source.STREAM_PROCESSOR, streamArn, text(video, "FragmentNumber"), producer, ref);

        JsonNode faces = root.get("FaceSearchResponse");
        if (faces == null || !faces.isArray()) {
            throw new MalformedRecordException("FaceSearchResponse missing or not an array");
        }
        List<FaceObservation> observations = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            JsonNode entry = faces.get(i);
            observations.add(new FaceObservation(arn.group(1), frameTime, i, faces.size(), face(object(entry, "DetectedFace")),
                    matches(entry.get("MatchedFaces")), source));
        }
        return new Parsed(arn.group(1), frameTime, observations);
    }

    private static Face face(JsonNode detected) {
        JsonNode box = object(detected, "BoundingBox");
        JsonNode pose = detected.path("Pose");
        JsonNode quality = detected.path("Quality");
        return new Face(new Face.BoundingBox(number(box, "Left"), number(box, "Top"), number(box, "Width"),
                number(box, "Height")), number(detected, "Confidence"), optional(quality, "Brightness"),
                optional(quality, "Sharpness"), optional(pose, "Yaw"), optional(pose, "Pitch"), optional(pose, "Roll"));
    }

    private static List<FaceMatch> matches(JsonNode matched) {
        if (matched == null || matched.isNull()) {
            return List.of();
        }
        if (!matched.isArray()) {
            throw new MalformedRecordException("MatchedFaces is not an array");
        }
        List<FaceMatch> result = new ArrayList<>(matched.size());
        for (JsonNode m : matched) {
            JsonNode face = object(m, "Face");
            JsonNode external = face.get("ExternalImageId");
            result.add(new FaceMatch(external == null || external.isNull() ? null : external.asText(),
                    text(face, "FaceId"), number(m, "Similarity")));
        }
        result.sort(Comparator.comparingDouble(FaceMatch::similarity).reversed());
        return result;
    }

    private static Instant seconds(double epochSeconds) {
        return Instant.ofEpochMilli(Math.round(epochSeconds * 1000));
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw new MalformedRecordException(field + " missing or not an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new MalformedRecordException(field + " missing or not a string");
        }
        return node.asText();
    }

    private static double number(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isNumber()) {
            throw new MalformedRecordException(field + " missing or not a number");
        }
        return node.doubleValue();
    }

    private static double optional(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return Double.NaN;
        }
        if (!node.isNumber()) {
            throw new MalformedRecordException(field + " is not a number");
        }
        return node.doubleValue();
    }
}
