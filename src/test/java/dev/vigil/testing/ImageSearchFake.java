package dev.vigil.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;

/**
 * A faithful HTTP fake of the Rekognition image APIs Vigil calls (JSON 1.1, {@code X-Amz-Target:
 * RekognitionService.<Operation>}, errors as 400 with {@code __type}), on 127.0.0.1 with a dynamic port.
 * It looks at the pixels it is sent: a "face" is a patch of a registered colour (tests draw them into real
 * JPEG frames). DetectFaces returns every registered patch in the image with its box (ratios), confidence,
 * pose and quality; SearchFacesByImage searches only the LARGEST patch, as Rekognition does, and answers the
 * person registered for its colour (or no match), or InvalidParameterException when the image has no face.
 * The strangers collection ({@code *-strangers}) is stateful: IndexFaces remembers the largest face's colour
 * under its ExternalImageId, SearchFacesByImage there answers the remembered faces of that colour, ListFaces
 * and DeleteFaces list and remove them.
 */
public final class ImageSearchFake implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOLERANCE = 40;
    private static final int MIN_PIXELS = 30;

    /**
     * A face the fake recognises by colour.
     *
     * @param personId   ExternalImageId of the matching collection face; null: a stranger (no match)
     * @param similarity similarity of the match
     * @param searchable false: DetectFaces finds it but a search on its crop finds no face (InvalidParameterException)
     */
    public record FaceSpec(Color color, String personId, double similarity, double yaw, double brightness,
                           double sharpness, boolean searchable) {
        public static FaceSpec known(Color color, String personId, double similarity) {
            return new FaceSpec(color, personId, similarity, 3.5, 70, 60, true);
        }

        public static FaceSpec stranger(Color color) {
            return new FaceSpec(color, null, 0, 3.5, 70, 60, true);
        }

        public static FaceSpec unsearchable(Color color) {
            return new FaceSpec(color, null, 0, 3.5, 70, 60, false);
        }
    }

    /** One request as received. */
    public record Call(String operation, String contentType, JsonNode body) {
        public BufferedImage image() {
            try {
                return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(body.path("Image").path("Bytes").asText())));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Map<Color, FaceSpec> faces = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Calls on the strangers collection (teaching's, not the image engine's): kept apart. */
    private final List<Call> strangerCalls = new CopyOnWriteArrayList<>();
    private final WireMockServer server;

    public ImageSearchFake() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new Answer()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public ImageSearchFake face(FaceSpec spec) {
        faces.put(spec.color(), spec);
        return this;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Empties the strangers collection (a first visit again). */
    public void forgetStrangers() {
        strangers.clear();
    }

    /** The calls on the strangers collection, oldest first. */
    public List<Call> strangerCalls() {
        return List.copyOf(strangerCalls);
    }

    /**
     * The next {@code times} calls of {@code operation} are answered as Rekognition answers a throttled call:
     * HTTP 400 {@code {"__type":"<type>","Message":...}} (type ThrottlingException or
     * ProvisionedThroughputExceededException). They are recorded among the calls too.
     */
    public ImageSearchFake throttle(String operation, int times, String type) {
        throttled.put(operation, new java.util.concurrent.atomic.AtomicInteger(times));
        throttledType.put(operation, type);
        return this;
    }

    /** Calls of {@code operation} answered with a throttling error. */
    public int throttledCalls(String operation) {
        return refused.getOrDefault(operation, new java.util.concurrent.atomic.AtomicInteger()).get();
    }

    private final Map<String, java.util.concurrent.atomic.AtomicInteger> throttled = new ConcurrentHashMap<>();
    private final Map<String, String> throttledType = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> refused = new ConcurrentHashMap<>();

    public List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    public void reset() {
        calls.clear();
        strangerCalls.clear();
        strangers.clear();
        throttled.clear();
        refused.clear();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Answer implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "rekognition-fake";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var request = event.getRequest();
            String target = request.getHeader("X-Amz-Target");
            JsonNode body;
            try {
                body = JSON.readTree(request.getBodyAsString());
            } catch (IOException e) {
                return error("SerializationException", "body is not JSON");
            }
            String operation = target == null ? "" : target.replace("RekognitionService.", "");
            boolean strangers = body.path("CollectionId").asText("").endsWith("-strangers");
            (strangers ? strangerCalls : calls).add(new Call(operation, request.getHeader("Content-Type"), body));
            if (!"POST".equals(request.getMethod().getName()) || target == null || !target.startsWith("RekognitionService.")) {
                return error("UnknownOperationException", "no X-Amz-Target");
            }
            var left = strangers ? null : throttled.get(operation);
            if (left != null && left.getAndDecrement() > 0) {
                refused.computeIfAbsent(operation, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                return error(throttledType.get(operation), "Rate exceeded");
            }
            if (strangers && operation.equals("ListFaces")) {
                return listStrangers();
            }
            if (strangers && operation.equals("DeleteFaces")) {
                return deleteStrangers(body);
            }
            BufferedImage image;
            try {
                byte[] bytes = Base64.getDecoder().decode(body.path("Image").path("Bytes").asText(""));
                image = bytes.length == 0 ? null : ImageIO.read(new ByteArrayInputStream(bytes));
            } catch (IOException | IllegalArgumentException e) {
                image = null;
            }
            if (image == null) {
                return error("InvalidImageFormatException", "Request has invalid image format");
            }
            return switch (operation) {
                case "DetectFaces" -> detect(image);
                case "SearchFacesByImage" -> strangers ? searchStrangers(image) : search(image, body);
                case "IndexFaces" -> strangers ? indexStranger(image, body) : error("UnknownOperationException",
                        "IndexFaces is faked for the strangers collection only");
                default -> error("UnknownOperationException", "operation " + operation + " is not faked");
            };
        }
    }

    private record Found(FaceSpec spec, int minX, int minY, int maxX, int maxY, int pixels) {
        ObjectNode box(int w, int h) {
            return JSON.createObjectNode().put("Width", (double) (maxX - minX + 1) / w).put("Height", (double) (maxY - minY + 1) / h)
                    .put("Left", (double) minX / w).put("Top", (double) minY / h);
        }
    }

    private List<Found> find(BufferedImage image) {
        List<Found> found = new ArrayList<>();
        for (FaceSpec spec : faces.values()) {
            int minX = Integer.MAX_VALUE;
            int minY = Integer.MAX_VALUE;
            int maxX = -1;
            int maxY = -1;
            int n = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    Color c = new Color(image.getRGB(x, y));
                    if (Math.abs(c.getRed() - spec.color().getRed()) < TOLERANCE
                            && Math.abs(c.getGreen() - spec.color().getGreen()) < TOLERANCE
                            && Math.abs(c.getBlue() - spec.color().getBlue()) < TOLERANCE) {
                        n++;
                        minX = Math.min(minX, x);
                        minY = Math.min(minY, y);
                        maxX = Math.max(maxX, x);
                        maxY = Math.max(maxY, y);
                    }
                }
            }
            if (n >= MIN_PIXELS) {
                found.add(new Found(spec, minX, minY, maxX, maxY, n));
            }
        }
        found.sort((a, b) -> Integer.compare(a.minX(), b.minX())); // left to right, like a stable detector order
        return found;
    }

    private ResponseDefinition detect(BufferedImage image) {
        ArrayNode details = JSON.createArrayNode();
        for (Found f : find(image)) {
            ObjectNode d = details.addObject();
            d.set("BoundingBox", f.box(image.getWidth(), image.getHeight()));
            d.putArray("Landmarks");
            d.putObject("Pose").put("Roll", 1.25).put("Yaw", f.spec().yaw()).put("Pitch", -2.5);
            d.putObject("Quality").put("Brightness", f.spec().brightness()).put("Sharpness", f.spec().sharpness());
            d.put("Confidence", 99.99);
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("FaceDetails", details);
        return json(out);
    }

    private ResponseDefinition search(BufferedImage image, JsonNode body) {
        if (!body.hasNonNull("CollectionId")) {
            return error("ValidationException", "1 validation error detected: CollectionId must not be null");
        }
        List<Found> found = find(image).stream().filter(f -> f.spec().searchable()).toList();
        if (found.isEmpty()) {
            return error("InvalidParameterException", "There are no faces in the image. Should be at least 1.");
        }
        Found largest = found.stream().max((a, b) -> Integer.compare(a.pixels(), b.pixels())).orElseThrow();
        double threshold = body.path("FaceMatchThreshold").asDouble(80);
        ObjectNode out = JSON.createObjectNode();
        out.set("SearchedFaceBoundingBox", largest.box(image.getWidth(), image.getHeight()));
        out.put("SearchedFaceConfidence", 99.99);
        ArrayNode matches = out.putArray("FaceMatches");
        FaceSpec spec = largest.spec();
        if (spec.personId() != null && spec.similarity() >= threshold) {
            ObjectNode m = matches.addObject().put("Similarity", spec.similarity());
            ObjectNode face = m.putObject("Face").put("FaceId", "f-" + spec.personId() + "-0001")
                    .put("ImageId", "i-" + spec.personId()).put("ExternalImageId", spec.personId()).put("Confidence", 99.9);
            face.putObject("BoundingBox").put("Width", 0.4).put("Height", 0.5).put("Left", 0.3).put("Top", 0.2);
        }
        out.put("FaceModelVersion", "7.0");
        return json(out);
    }

    // ---- the strangers collection (<collection>-strangers): faces remembered by colour, ExternalImageId = alert id

    private record Stranger(String faceId, String externalImageId, Color color) {
    }

    private final List<Stranger> strangers = new CopyOnWriteArrayList<>();

    /** The faces the strangers collection holds now. */
    public List<String> strangerAlertIds() {
        return strangers.stream().map(Stranger::externalImageId).toList();
    }

    private ResponseDefinition indexStranger(BufferedImage image, JsonNode body) {
        List<Found> found = find(image);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode records = out.putArray("FaceRecords");
        out.putArray("UnindexedFaces");
        if (!found.isEmpty()) {
            Found largest = found.stream().max((a, b) -> Integer.compare(a.pixels(), b.pixels())).orElseThrow();
            Stranger s = new Stranger(java.util.UUID.randomUUID().toString(), body.path("ExternalImageId").asText(null),
                    largest.spec().color());
            strangers.add(s);
            ObjectNode face = records.addObject().putObject("Face").put("FaceId", s.faceId());
            if (s.externalImageId() != null) {
                face.put("ExternalImageId", s.externalImageId());
            }
        }
        return json(out);
    }

    private ResponseDefinition searchStrangers(BufferedImage image) {
        List<Found> found = find(image);
        if (found.isEmpty()) {
            return error("InvalidParameterException", "There are no faces in the image. Should be at least 1.");
        }
        Color color = found.stream().max((a, b) -> Integer.compare(a.pixels(), b.pixels())).orElseThrow().spec().color();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode matches = out.putArray("FaceMatches");
        for (Stranger s : strangers) {
            if (s.color().equals(color)) {
                matches.addObject().put("Similarity", 99.0).putObject("Face").put("FaceId", s.faceId())
                        .put("ExternalImageId", s.externalImageId());
            }
        }
        return json(out);
    }

    private ResponseDefinition listStrangers() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode faces = out.putArray("Faces");
        strangers.forEach(s -> faces.addObject().put("FaceId", s.faceId()).put("ExternalImageId", s.externalImageId()));
        return json(out);
    }

    private ResponseDefinition deleteStrangers(JsonNode body) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode deleted = out.putArray("DeletedFaces");
        out.putArray("UnsuccessfulFaceDeletions");
        body.path("FaceIds").forEach(id -> {
            if (strangers.removeIf(s -> s.faceId().equals(id.asText()))) {
                deleted.add(id.asText());
            }
        });
        return json(out);
    }

    private static ResponseDefinition json(JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body.toString()).build();
    }

    private static ResponseDefinition error(String type, String message) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(JSON.createObjectNode().put("__type", type).put("Message", message).toString()).build();
    }
}
