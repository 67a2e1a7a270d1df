package dev.vigil.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Amazon Rekognition's collection and stream-processor API as a WireMock server on 127.0.0.1 (moto does not
 * emulate them): JSON 1.1, {@code POST /} with {@code X-Amz-Target: RekognitionService.<Operation>}, request and
 * response shapes and error codes from the API reference ({@code HTTP 400 {"__type": "...", "Message": "..."}}).
 *
 * <p>By default a stateful model answers (collections; processors that go STOPPED -> RUNNING on start, refuse
 * stopping a stopped one and deleting a running one with ResourceInUseException, and keep a deleted name
 * unusable for {@link #nameReuseDelay}). Tests script AWS's misbehaviour (FAILED, stuck STARTING, access denied)
 * with WireMock scenarios via {@link #stub}, which win over the model. {@link #requests} returns what Vigil sent.
 */
public final class StreamProcessorFake implements AutoCloseable {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PROCESSOR_NAME = Pattern.compile("[a-zA-Z0-9_.\\-]{1,128}");
    private static final Pattern COLLECTION = Pattern.compile("[a-zA-Z0-9_.\\-]{1,255}");

    private final WireMockServer server;
    private final Map<String, ObjectNode> collections = new LinkedHashMap<>();
    private final Map<String, ObjectNode> processors = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
    private final Map<String, Instant> deleted = new LinkedHashMap<>();
    private volatile Duration nameReuseDelay = Duration.ZERO;

    public StreamProcessorFake() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new Model()));
        server.start();
        server.stubFor(post(urlEqualTo("/")).atPriority(10)
                .willReturn(aResponse().withTransformers(Model.NAME)));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    public WireMockServer server() {
        return server;
    }

    /** How long a deleted processor's name stays unusable (AWS: a few seconds). */
    public StreamProcessorFake nameReuseDelay(Duration delay) {
        this.nameReuseDelay = delay;
        return this;
    }

    /**
     * A scripted answer to one operation, in a WireMock scenario: when the scenario is in {@code state} (null:
     * any), {@code operation} answers {@code response} and the scenario moves to {@code next} (null: stays).
     */
    public void stub(String scenario, String state, String operation, ResponseDefinitionBuilder response, String next) {
        MappingBuilder m = post(urlEqualTo("/")).atPriority(1).withHeader("X-Amz-Target", equalTo(target(operation)));
        if (state != null) {
            com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder sm = m.inScenario(scenario)
                    .whenScenarioStateIs(state);
            m = next == null ? sm : sm.willSetStateTo(next);
        }
        server.stubFor(m.willReturn(response));
    }

    /** As {@link #stub}, only for requests whose body has these fields (e.g. {@code {"Name": "vigil-x"}}). */
    public void stub(String scenario, String state, String operation, String bodyFields, ResponseDefinitionBuilder response,
                     String next) {
        MappingBuilder m = post(urlEqualTo("/")).atPriority(1).withHeader("X-Amz-Target", equalTo(target(operation)))
                .withRequestBody(equalToJson(bodyFields, true, true));
        if (state != null) {
            com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder sm = m.inScenario(scenario)
                    .whenScenarioStateIs(state);
            m = next == null ? sm : sm.willSetStateTo(next);
        }
        server.stubFor(m.willReturn(response));
    }

    public static ResponseDefinitionBuilder ok(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(json);
    }

    public static ResponseDefinitionBuilder error(String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("__type", type).put("Message", message);
        return aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(body.toString());
    }

    /** A DescribeStreamProcessor answer for a face-search processor in {@code status}. */
    public static ResponseDefinitionBuilder described(String name, String status, String statusMessage, String input,
                                                      String output, String collection, String roleArn) {
        ObjectNode p = newProcessor(name, input, output, collection, 80f, roleArn);
        p.put("Status", status);
        if (statusMessage != null) {
            p.put("StatusMessage", statusMessage);
        }
        return ok(p.toString());
    }

    /** As {@link #described}, with more fields of the processor (e.g. NotificationChannel, KmsKeyId) as JSON. */
    public static ResponseDefinitionBuilder describedWith(String name, String status, String input, String output,
                                                      String collection, String roleArn, String moreFields) {
        ObjectNode p = newProcessor(name, input, output, collection, 80f, roleArn);
        p.put("Status", status);
        p.setAll((ObjectNode) read(moreFields));
        return ok(p.toString());
    }

    /** The bodies of the requests Vigil sent for one operation, in order. */
    public List<JsonNode> requests(String operation) {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<JsonNode> out = new ArrayList<>();
        for (ServeEvent e : events) {
            if (target(operation).equals(e.getRequest().getHeader("X-Amz-Target"))) {
                out.add(read(e.getRequest().getBodyAsString()));
            }
        }
        return out;
    }

    /** The operations Vigil called, in order (e.g. DescribeStreamProcessor, StartStreamProcessor). */
    public List<String> operations() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        return events.stream().map(e -> String.valueOf(e.getRequest().getHeader("X-Amz-Target"))
                .replace("RekognitionService.", "")).toList();
    }

    public synchronized Map<String, JsonNode> collections() {
        return new LinkedHashMap<>(collections);
    }

    public synchronized Map<String, JsonNode> processors() {
        return new LinkedHashMap<>(processors);
    }

    public synchronized Map<String, String> tagsOf(String arn) {
        return tags.getOrDefault(arn, Map.of());
    }

    private static String target(String operation) {
        return "RekognitionService." + operation;
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    static ObjectNode newProcessor(String name, String input, String output, String collection, float threshold, String role) {
        ObjectNode p = JSON.createObjectNode();
        p.put("Name", name);
        p.put("StreamProcessorArn", "arn:aws:rekognition:" + REGION + ":" + ACCOUNT + ":streamprocessor/" + name);
        p.put("CreationTimestamp", Instant.now().getEpochSecond());
        p.put("LastUpdateTimestamp", Instant.now().getEpochSecond());
        p.putObject("Input").putObject("KinesisVideoStream").put("Arn", input);
        p.putObject("Output").putObject("KinesisDataStream").put("Arn", output);
        p.put("RoleArn", role);
        p.putObject("Settings").putObject("FaceSearch").put("CollectionId", collection).put("FaceMatchThreshold", threshold);
        return p;
    }

    /** The stateful model behind every request no scripted stub answers. */
    private final class Model extends NamedTransformer {
        static final String NAME = "stream-processor-fake";

        Model() {
            super(NAME);
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String target = String.valueOf(event.getRequest().getHeader("X-Amz-Target"));
            JsonNode in = read(event.getRequest().getBodyAsString());
            synchronized (StreamProcessorFake.this) {
                try {
                    return ok(answer(target.replace("RekognitionService.", ""), in).toString()).build();
                } catch (Refusal r) {
                    return error(r.type, r.getMessage()).build();
                }
            }
        }

        private JsonNode answer(String op, JsonNode in) {
            ObjectNode out = JSON.createObjectNode();
            switch (op) {
                case "CreateCollection" -> {
                    String id = required(in, "CollectionId", COLLECTION);
                    if (collections.containsKey(id)) {
                        throw new Refusal("ResourceAlreadyExistsException", "The collection id: " + id + " already exists");
                    }
                    // as AWS's own examples show: the collection "ARN" comes without the arn: prefix
                    String arn = "aws:rekognition:" + REGION + ":" + ACCOUNT + ":collection/" + id;
                    ObjectNode c = JSON.createObjectNode().put("CollectionARN", arn).put("FaceCount", 0)
                            .put("UserCount", 0).put("FaceModelVersion", "7.0")
                            .put("CreationTimestamp", Instant.now().getEpochSecond());
                    collections.put(id, c);
                    tags.put("arn:" + arn, tagMap(in.path("Tags")));
                    out.put("StatusCode", 200).put("CollectionArn", arn).put("FaceModelVersion", "7.0");
                }
                case "DescribeCollection" -> out.setAll(collection(required(in, "CollectionId", COLLECTION)));
                case "DeleteCollection" -> {
                    ObjectNode c = collection(required(in, "CollectionId", COLLECTION));
                    collections.remove(in.get("CollectionId").asText());
                    tags.remove("arn:" + c.get("CollectionARN").asText());
                    out.put("StatusCode", 200);
                }
                case "ListTagsForResource" -> {
                    String arn = in.path("ResourceArn").asText();
                    if (!tags.containsKey(arn)) {
                        throw new Refusal("ResourceNotFoundException", "The resource " + arn + " does not exist");
                    }
                    ObjectNode t = out.putObject("Tags");
                    tags.get(arn).forEach(t::put);
                }
                case "TagResource" -> {
                    String arn = in.path("ResourceArn").asText();
                    if (!tags.containsKey(arn)) {
                        throw new Refusal("ResourceNotFoundException", "The resource " + arn + " does not exist");
                    }
                    tags.get(arn).putAll(tagMap(in.path("Tags")));
                }
                case "CreateStreamProcessor" -> {
                    String name = required(in, "Name", PROCESSOR_NAME);
                    String input = in.path("Input").path("KinesisVideoStream").path("Arn").asText(null);
                    String output = in.path("Output").path("KinesisDataStream").path("Arn").asText(null);
                    JsonNode face = in.path("Settings").path("FaceSearch");
                    String role = in.path("RoleArn").asText(null);
                    if (input == null || output == null || role == null || !face.has("CollectionId")) {
                        throw new Refusal("InvalidParameterException", "Request has invalid parameters");
                    }
                    Instant gone = deleted.get(name);
                    if (processors.containsKey(name) || (gone != null && gone.plus(nameReuseDelay).isAfter(Instant.now()))) {
                        throw new Refusal("ResourceInUseException", "Stream processor with name " + name + " already exists");
                    }
                    ObjectNode p = newProcessor(name, input, output, face.get("CollectionId").asText(),
                            (float) face.path("FaceMatchThreshold").asDouble(80), role);
                    p.put("Status", "STOPPED");
                    processors.put(name, p);
                    tags.put(p.get("StreamProcessorArn").asText(), tagMap(in.path("Tags")));
                    out.put("StreamProcessorArn", p.get("StreamProcessorArn").asText());
                }
                case "DescribeStreamProcessor" -> out.setAll(processor(required(in, "Name", PROCESSOR_NAME)));
                case "StartStreamProcessor" -> {
                    ObjectNode p = processor(required(in, "Name", PROCESSOR_NAME));
                    String status = p.get("Status").asText();
                    if (!status.equals("STOPPED") && !status.equals("FAILED")) {
                        throw new Refusal("ResourceInUseException", "Stream processor is in " + status + " state");
                    }
                    p.put("Status", "RUNNING").remove("StatusMessage");
                    out.put("SessionId", UUID.randomUUID().toString());
                }
                case "StopStreamProcessor" -> {
                    ObjectNode p = processor(required(in, "Name", PROCESSOR_NAME));
                    String status = p.get("Status").asText();
                    if (!status.equals("RUNNING") && !status.equals("STARTING")) {
                        throw new Refusal("ResourceInUseException", "Stream processor is in " + status + " state");
                    }
                    p.put("Status", "STOPPED");
                }
                case "DeleteStreamProcessor" -> {
                    String name = required(in, "Name", PROCESSOR_NAME);
                    ObjectNode p = processor(name);
                    String status = p.get("Status").asText();
                    if (status.equals("RUNNING") || status.equals("STARTING") || status.equals("STOPPING")) {
                        throw new Refusal("ResourceInUseException", "Stream processor is in " + status + " state");
                    }
                    processors.remove(name);
                    tags.remove(p.get("StreamProcessorArn").asText());
                    deleted.put(name, Instant.now());
                }
                case "ListStreamProcessors" -> {
                    int max = in.path("MaxResults").asInt(1000);
                    int from = in.has("NextToken") ? Integer.parseInt(in.get("NextToken").asText()) : 0;
                    List<ObjectNode> all = new ArrayList<>(processors.values());
                    var list = out.putArray("StreamProcessors");
                    for (int i = from; i < Math.min(all.size(), from + max); i++) {
                        list.addObject().put("Name", all.get(i).get("Name").asText())
                                .put("Status", all.get(i).get("Status").asText());
                    }
                    if (from + max < all.size()) {
                        out.put("NextToken", Integer.toString(from + max));
                    }
                }
                default -> throw new Refusal("UnknownOperationException", "StreamProcessorFake does not know " + op);
            }
            return out;
        }

        private ObjectNode collection(String id) {
            ObjectNode c = collections.get(id);
            if (c == null) {
                throw new Refusal("ResourceNotFoundException", "The collection id: " + id + " does not exist");
            }
            return c;
        }

        private ObjectNode processor(String name) {
            ObjectNode p = processors.get(name);
            if (p == null) {
                throw new Refusal("ResourceNotFoundException", "Stream processor " + name + " does not exist");
            }
            return p;
        }

        private String required(JsonNode in, String field, Pattern pattern) {
            String value = in.path(field).asText(null);
            if (value == null || !pattern.matcher(value).matches()) {
                throw new Refusal("ValidationException", "1 validation error detected: Value '" + value
                        + "' at '" + Character.toLowerCase(field.charAt(0)) + field.substring(1)
                        + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern);
            }
            return value;
        }

        private Map<String, String> tagMap(JsonNode node) {
            Map<String, String> m = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
            return m;
        }
    }

    private static final class Refusal extends RuntimeException {
        final String type;

        Refusal(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
