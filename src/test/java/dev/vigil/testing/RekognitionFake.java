package dev.vigil.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A stateful fake of Amazon Rekognition's face-collection API on 127.0.0.1 (WireMock), speaking the real wire
 * protocol: JSON 1.1, {@code POST /} with {@code X-Amz-Target: RekognitionService.<Operation>}, answers
 * {@code application/x-amz-json-1.1}, errors HTTP 400 {@code {"__type": "...", "Message": "..."}}.
 * Request and response shapes, limits and error codes follow the AWS API reference: CreateCollection,
 * DescribeCollection, DetectFaces, IndexFaces (MaxFaces keeps the largest faces, the rest are UnindexedFaces
 * EXCEEDS_MAX_FACES), ListFaces (paginated with NextToken), DeleteFaces (1-4096 ids; faces associated to a
 * user are refused), DisassociateFaces (1-100 ids), SearchFacesByImage (faces indexed from photos of the same
 * identity match, see {@link #sameFace}).
 * <p>
 * What a photo shows is set by the test ({@link #photoShows}, {@link #photoUnusable}); any other photo shows
 * one face in the middle. Other operations (stream processors, ...) can be added with {@link #on}.
 * Every request Vigil sent is kept: {@link #requests(String)}.
 */
public final class RekognitionFake implements AutoCloseable {

    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Pattern COLLECTION_ID = Pattern.compile("[a-zA-Z0-9_.\\-]{1,255}");
    private static final Pattern EXTERNAL_IMAGE_ID = Pattern.compile("[a-zA-Z0-9_.\\-:]{1,255}");
    private static final int MAX_IMAGE_BYTES = 5 * 1024 * 1024;

    /** A face in a photo, as ratios of the photo (Rekognition's BoundingBox). */
    public record Box(double left, double top, double width, double height) {
        public static final Box CENTRE = new Box(0.3, 0.25, 0.4, 0.5);
    }

    /** A stored face. */
    public record StoredFace(String faceId, String imageId, String externalImageId, String userId) {
    }

    /** An answer: HTTP status and JSON body. */
    public record Reply(int status, String body) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Map<String, StoredFace>> collections = new ConcurrentHashMap<>();
    private final Map<String, List<Box>> scenes = new ConcurrentHashMap<>();
    private final Map<String, List<String>> unusable = new ConcurrentHashMap<>();
    /** image hash -> whose face it shows (photos of the same identity match each other in a search) */
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    /** face id -> identity of the image it was indexed from */
    private final Map<String, String> faceIdentity = new ConcurrentHashMap<>();
    private final Map<String, Function<JsonNode, Reply>> operations = new ConcurrentHashMap<>();
    private volatile int pageSize = 4096;
    private final WireMockServer server;

    public RekognitionFake() {
        collectionOperations();
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .extensions(new Transformer()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
    }

    private void collectionOperations() {
        operations.put("CreateCollection", this::createCollection);
        operations.put("DescribeCollection", this::describeCollection);
        operations.put("DetectFaces", this::detectFaces);
        operations.put("IndexFaces", this::indexFaces);
        operations.put("ListFaces", this::listFaces);
        operations.put("DeleteFaces", this::deleteFaces);
        operations.put("DisassociateFaces", this::disassociateFaces);
        operations.put("SearchFacesByImage", this::searchFacesByImage);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * Adds an operation (X-Amz-Target RekognitionService.{@code operation}), or replaces a collection operation
     * until the next {@link #reset()} (e.g. to answer AccessDeniedException).
     */
    public void on(String operation, Function<JsonNode, Reply> handler) {
        operations.put(operation, handler);
    }

    /** ListFaces returns at most this many faces a page, whatever MaxResults says (to exercise NextToken). */
    public void pageSize(int size) {
        this.pageSize = size;
    }

    /** What DetectFaces and IndexFaces find in this exact photo. */
    public void photoShows(byte[] photo, Box... faces) {
        scenes.put(hash(photo), List.of(faces));
    }

    /** IndexFaces finds one face in this photo but does not index it, for these reasons (QualityFilter AUTO). */
    public void photoUnusable(byte[] photo, String... reasons) {
        unusable.put(hash(photo), List.of(reasons));
    }

    /**
     * These photos show the same person: SearchFacesByImage on one of them matches the faces indexed from any
     * of them (similarity 99). A photo not named here matches only faces indexed from the very same bytes.
     */
    public void sameFace(String identity, byte[]... photos) {
        for (byte[] photo : photos) {
            identities.put(hash(photo), identity);
        }
    }

    public void createCollection(String collectionId) {
        collections.putIfAbsent(collectionId, newCollection());
    }

    /** Puts a face straight into a collection (created if needed); returns its FaceId. */
    public String seedFace(String collectionId, String externalImageId, String userId) {
        createCollection(collectionId);
        StoredFace face = new StoredFace(UUID.randomUUID().toString(), UUID.randomUUID().toString(), externalImageId,
                userId);
        collections.get(collectionId).put(face.faceId(), face);
        return face.faceId();
    }

    public boolean hasCollection(String collectionId) {
        return collections.containsKey(collectionId);
    }

    /** The faces of a collection, in the order they were added; empty when it does not exist. */
    public List<StoredFace> faces(String collectionId) {
        return new ArrayList<>(collections.getOrDefault(collectionId, Map.of()).values());
    }

    /** The JSON bodies of every request for one operation, oldest first. */
    public List<JsonNode> requests(String operation) {
        return server.findAll(postRequestedFor(urlEqualTo("/"))
                        .withHeader("X-Amz-Target", equalTo("RekognitionService." + operation))).stream()
                .map(r -> read(r.getBodyAsString())).toList();
    }

    /** The operations of every request, oldest first, each as "Operation CollectionId". */
    public List<String> operations() {
        List<String> out = new ArrayList<>();
        for (var event : server.getAllServeEvents()) {
            String target = String.valueOf(event.getRequest().getHeader("X-Amz-Target")).replace("RekognitionService.", "");
            out.add(0, target + " " + read(event.getRequest().getBodyAsString()).path("CollectionId").asText(""));
        }
        return out;
    }

    /** How many requests reached the fake at all. */
    public int requestCount() {
        return server.getAllServeEvents().size();
    }

    /** Forgets all state and recorded requests; restores the collection operations, keeps added ones. */
    public void reset() {
        collectionOperations();
        collections.clear();
        identities.clear();
        faceIdentity.clear();
        scenes.clear();
        unusable.clear();
        pageSize = 4096;
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- operations

    private Reply createCollection(JsonNode r) {
        String id = collectionId(r);
        if (collections.putIfAbsent(id, newCollection()) != null) {
            return error("ResourceAlreadyExistsException", "The collection id: " + id + " already exists");
        }
        return ok(obj().put("StatusCode", 200).put("CollectionArn", "aws:rekognition:us-east-1:123456789012:collection/" + id)
                .put("FaceModelVersion", "7.0"));
    }

    private Reply describeCollection(JsonNode r) {
        Map<String, StoredFace> faces = collection(collectionId(r));
        long users = faces.values().stream().map(StoredFace::userId).filter(u -> u != null).distinct().count();
        return ok(obj().put("FaceCount", faces.size()).put("UserCount", users).put("FaceModelVersion", "7.0")
                .put("CollectionARN", "arn:aws:rekognition:us-east-1:123456789012:collection/" + collectionId(r))
                .put("CreationTimestamp", 1.7640576E9));
    }

    private Reply detectFaces(JsonNode r) {
        byte[] image = image(r);
        ArrayNode details = json.createArrayNode();
        scene(image).forEach(b -> details.add(faceDetail(b)));
        return ok(obj().set("FaceDetails", details));
    }

    private Reply indexFaces(JsonNode r) {
        String id = collectionId(r);
        byte[] image = image(r);
        JsonNode external = r.get("ExternalImageId");
        if (external != null && !EXTERNAL_IMAGE_ID.matcher(external.asText()).matches()) {
            throw new Fault(error("ValidationException", "1 validation error detected: Value '" + external.asText()
                    + "' at 'externalImageId' failed to satisfy constraint: Member must satisfy regular expression"
                    + " pattern: [a-zA-Z0-9_.\\-:]+"));
        }
        int maxFaces = r.path("MaxFaces").asInt(100);
        if (maxFaces < 1) {
            throw new Fault(error("ValidationException", "MaxFaces must be at least 1"));
        }
        Map<String, StoredFace> faces = collection(id);
        List<Box> boxes = new ArrayList<>(scene(image));
        boxes.sort((a, b) -> Double.compare(b.width() * b.height(), a.width() * a.height())); // largest first
        ArrayNode records = json.createArrayNode();
        ArrayNode unindexed = json.createArrayNode();
        String imageId = UUID.randomUUID().toString();
        List<String> reasons = unusable.get(hash(image));
        for (int i = 0; i < boxes.size(); i++) {
            Box box = boxes.get(i);
            if (reasons != null || i >= maxFaces) {
                ArrayNode why = json.createArrayNode();
                (reasons != null ? reasons : List.of("EXCEEDS_MAX_FACES")).forEach(why::add);
                unindexed.add(obj().<ObjectNode>set("Reasons", why).set("FaceDetail", faceDetail(box)));
                continue;
            }
            StoredFace face = new StoredFace(UUID.randomUUID().toString(), imageId,
                    external == null ? null : external.asText(), null);
            faces.put(face.faceId(), face);
            faceIdentity.put(face.faceId(), identity(image));
            records.add(obj().<ObjectNode>set("Face", face(face, box)).set("FaceDetail", faceDetail(box)));
        }
        return ok(obj().<ObjectNode>set("FaceRecords", records).put("FaceModelVersion", "7.0")
                .set("UnindexedFaces", unindexed));
    }

    /**
     * SearchFacesByImage: the largest face of the image (InvalidParameterException when it shows none) against
     * the collection; matches are the faces indexed from photos of the same identity, at or above
     * FaceMatchThreshold (default 80), at most MaxFaces (default 4096), best first.
     */
    private Reply searchFacesByImage(JsonNode r) {
        String id = collectionId(r);
        byte[] image = image(r);
        Map<String, StoredFace> faces = collection(id);
        List<Box> boxes = new ArrayList<>(scene(image));
        if (boxes.isEmpty()) {
            throw new Fault(error("InvalidParameterException", "There are no faces in the image. Should be at least 1."));
        }
        boxes.sort((a, b) -> Double.compare(b.width() * b.height(), a.width() * a.height()));
        double threshold = r.path("FaceMatchThreshold").asDouble(80);
        int max = r.path("MaxFaces").asInt(4096);
        String who = identity(image);
        ArrayNode matches = json.createArrayNode();
        synchronized (faces) {
            for (StoredFace f : faces.values()) {
                if (matches.size() < max && who.equals(faceIdentity.get(f.faceId())) && 99.0 >= threshold) {
                    matches.add(obj().put("Similarity", 99.0).set("Face", face(f, Box.CENTRE)));
                }
            }
        }
        return ok(obj().<ObjectNode>set("SearchedFaceBoundingBox", box(boxes.get(0))).put("SearchedFaceConfidence", 99.9)
                .<ObjectNode>set("FaceMatches", matches).put("FaceModelVersion", "7.0"));
    }

    private String identity(byte[] image) {
        String h = hash(image);
        return identities.getOrDefault(h, h);
    }

    private Reply listFaces(JsonNode r) {
        List<StoredFace> faces = new ArrayList<>(collection(collectionId(r)).values());
        int max = Math.min(r.path("MaxResults").asInt(1000), pageSize);
        if (r.has("MaxResults") && (r.get("MaxResults").asInt() < 0 || r.get("MaxResults").asInt() > 4096)) {
            throw new Fault(error("ValidationException", "MaxResults must be between 0 and 4096"));
        }
        if (r.hasNonNull("UserId")) {
            faces.removeIf(f -> !r.get("UserId").asText().equals(f.userId()));
        }
        int from = 0;
        if (r.hasNonNull("NextToken")) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(r.get("NextToken").asText()),
                        StandardCharsets.UTF_8).replace("page:", ""));
            } catch (RuntimeException e) {
                throw new Fault(error("InvalidPaginationTokenException", "Invalid pagination token"));
            }
        }
        ArrayNode page = json.createArrayNode();
        for (int i = from; i < Math.min(faces.size(), from + max); i++) {
            page.add(face(faces.get(i), Box.CENTRE));
        }
        ObjectNode out = obj().<ObjectNode>set("Faces", page).put("FaceModelVersion", "7.0");
        if (from + max < faces.size()) {
            out.put("NextToken", Base64.getEncoder().encodeToString(("page:" + (from + max))
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return ok(out);
    }

    private Reply deleteFaces(JsonNode r) {
        Map<String, StoredFace> faces = collection(collectionId(r));
        JsonNode ids = r.path("FaceIds");
        if (!ids.isArray() || ids.size() < 1 || ids.size() > 4096) {
            throw new Fault(error("ValidationException", "1 validation error detected: Value at 'faceIds' failed to"
                    + " satisfy constraint: Member must have length less than or equal to 4096 and greater than or"
                    + " equal to 1"));
        }
        ArrayNode deleted = json.createArrayNode();
        ArrayNode unsuccessful = json.createArrayNode();
        for (JsonNode id : ids) {
            StoredFace face = faces.get(id.asText());
            if (face == null) {
                unsuccessful.add(obj().put("FaceId", id.asText()).set("Reasons", json.createArrayNode().add("FACE_NOT_FOUND")));
            } else if (face.userId() != null) {
                unsuccessful.add(obj().put("FaceId", id.asText()).put("UserId", face.userId())
                        .set("Reasons", json.createArrayNode().add("ASSOCIATED_TO_AN_EXISTING_USER")));
            } else {
                faces.remove(face.faceId());
                deleted.add(face.faceId());
            }
        }
        return ok(obj().<ObjectNode>set("DeletedFaces", deleted).set("UnsuccessfulFaceDeletions", unsuccessful));
    }

    private Reply disassociateFaces(JsonNode r) {
        Map<String, StoredFace> faces = collection(collectionId(r));
        String user = r.path("UserId").asText("");
        JsonNode ids = r.path("FaceIds");
        if (user.isEmpty() || !ids.isArray() || ids.size() < 1 || ids.size() > 100) {
            throw new Fault(error("ValidationException", "UserId is required and FaceIds must hold 1 to 100 ids"));
        }
        if (faces.values().stream().noneMatch(f -> user.equals(f.userId()))) {
            throw new Fault(error("ResourceNotFoundException", "The user id: " + user + " does not exist"));
        }
        ArrayNode done = json.createArrayNode();
        ArrayNode unsuccessful = json.createArrayNode();
        for (JsonNode id : ids) {
            StoredFace face = faces.get(id.asText());
            if (face == null || !user.equals(face.userId())) {
                unsuccessful.add(obj().put("FaceId", id.asText()).put("UserId", user).set("Reasons",
                        json.createArrayNode().add(face == null ? "FACE_NOT_FOUND" : "ASSOCIATED_TO_A_DIFFERENT_USER")));
            } else {
                faces.put(face.faceId(), new StoredFace(face.faceId(), face.imageId(), face.externalImageId(), null));
                done.add(obj().put("FaceId", face.faceId()));
            }
        }
        return ok(obj().<ObjectNode>set("DisassociatedFaces", done).<ObjectNode>set("UnsuccessfulFaceDisassociations",
                unsuccessful).put("UserStatus", "UPDATING"));
    }

    // ---- shapes and checks

    private ObjectNode face(StoredFace f, Box box) {
        ObjectNode face = obj().put("FaceId", f.faceId()).<ObjectNode>set("BoundingBox", box(box))
                .put("ImageId", f.imageId()).put("Confidence", 99.99).put("IndexFacesModelVersion", "7.0");
        if (f.externalImageId() != null) {
            face.put("ExternalImageId", f.externalImageId());
        }
        if (f.userId() != null) {
            face.put("UserId", f.userId());
        }
        return face;
    }

    private ObjectNode faceDetail(Box b) {
        ObjectNode detail = obj().<ObjectNode>set("BoundingBox", box(b)).put("Confidence", 99.9);
        detail.set("Pose", obj().put("Roll", 1.2).put("Yaw", -3.4).put("Pitch", 5.6));
        detail.set("Quality", obj().put("Brightness", 80.1).put("Sharpness", 92.2));
        detail.set("Landmarks", json.createArrayNode().add(obj().put("Type", "eyeLeft")
                .put("X", b.left() + b.width() * 0.3).put("Y", b.top() + b.height() * 0.4)));
        return detail;
    }

    private ObjectNode box(Box b) {
        return obj().put("Width", b.width()).put("Height", b.height()).put("Left", b.left()).put("Top", b.top());
    }

    private String collectionId(JsonNode r) {
        String id = r.path("CollectionId").asText("");
        if (!COLLECTION_ID.matcher(id).matches()) {
            throw new Fault(error("ValidationException", "1 validation error detected: Value '" + id
                    + "' at 'collectionId' failed to satisfy constraint: Member must satisfy regular expression"
                    + " pattern: [a-zA-Z0-9_.\\-]+"));
        }
        return id;
    }

    private Map<String, StoredFace> collection(String id) {
        Map<String, StoredFace> faces = collections.get(id);
        if (faces == null) {
            throw new Fault(error("ResourceNotFoundException", "The collection id: " + id + " does not exist"));
        }
        return faces;
    }

    /** The image bytes, checked as Rekognition does: base64 Bytes, at most 5 MB, a JPEG or PNG it can read. */
    private byte[] image(JsonNode r) {
        JsonNode bytes = r.path("Image").get("Bytes");
        if (bytes == null) {
            throw new Fault(error("InvalidParameterException", "Request has invalid parameters"));
        }
        byte[] image = Base64.getDecoder().decode(bytes.asText());
        if (image.length > MAX_IMAGE_BYTES) {
            throw new Fault(error("ImageTooLargeException", "Image size is too large."));
        }
        try {
            if (ImageIO.read(new ByteArrayInputStream(image)) == null) {
                throw new Fault(error("InvalidImageFormatException", "Request has invalid image format"));
            }
        } catch (java.io.IOException e) {
            throw new Fault(error("InvalidImageFormatException", "Request has invalid image format"));
        }
        return image;
    }

    private List<Box> scene(byte[] image) {
        return scenes.getOrDefault(hash(image), List.of(Box.CENTRE));
    }

    private static Map<String, StoredFace> newCollection() {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>()); // ListFaces pages in insertion order
    }

    private ObjectNode obj() {
        return json.createObjectNode();
    }

    private Reply ok(JsonNode body) {
        return new Reply(200, body.toString());
    }

    public static Reply error(String type, String message) {
        return new Reply(400, "{\"__type\":\"" + type + "\",\"Message\":\"" + message.replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"}");
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An error answer thrown from inside an operation. */
    private static final class Fault extends RuntimeException {
        final Reply reply;

        Fault(Reply reply) {
            super(reply.body(), null, false, false);
            this.reply = reply;
        }
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var request = event.getRequest();
            String target = request.getHeader("X-Amz-Target");
            Reply reply;
            if (!"POST".equals(request.getMethod().getName()) || !"/".equals(request.getUrl())) {
                reply = new Reply(404, "{\"__type\":\"UnknownOperationException\"}");
            } else if (!String.valueOf(request.getHeader("Content-Type")).startsWith(CONTENT_TYPE)) {
                reply = error("SerializationException", "expected Content-Type " + CONTENT_TYPE);
            } else if (target == null || !target.startsWith("RekognitionService.")
                    || !operations.containsKey(target.substring("RekognitionService.".length()))) {
                reply = new Reply(400, "{\"__type\":\"UnknownOperationException\"}");
            } else {
                try {
                    reply = operations.get(target.substring("RekognitionService.".length()))
                            .apply(read(request.getBodyAsString()));
                } catch (Fault f) {
                    reply = f.reply;
                }
            }
            return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                    .withStatus(reply.status()).withHeader("Content-Type", CONTENT_TYPE)
                    .withHeader("x-amzn-RequestId", UUID.randomUUID().toString()).withBody(reply.body()).build();
        }

        @Override
        public String getName() {
            return "rekognition-fake";
        }
    }
}
