package dev.vigil.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** IAM policy documents of the processor roles, as canonical (key-sorted, compact) JSON so they compare as text. */
public final class Policies {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Policies() {
    }

    /**
     * Trust: only Rekognition may assume the role, and only for this account's processor of this camera
     * (aws:SourceAccount and aws:SourceArn guard against the confused deputy).
     */
    public static String trust(String account, String region, String processorName) {
        ObjectNode statement = JSON.createObjectNode().put("Effect", "Allow").put("Action", "sts:AssumeRole");
        statement.putObject("Principal").put("Service", "rekognition.amazonaws.com");
        ObjectNode condition = statement.putObject("Condition");
        condition.putObject("StringEquals").put("aws:SourceAccount", account);
        condition.putObject("ArnLike").put("aws:SourceArn", processorArn(account, region, processorName));
        return document(List.of(statement));
    }

    /** Least privilege for one camera's processor: write its results stream, read its video stream. */
    public static String processor(String account, String region, String videoStream, String resultsStream,
                                   String kmsKeyArn) {
        List<ObjectNode> statements = new ArrayList<>();
        statements.add(statement("WriteFaceSearchResults", List.of("kinesis:PutRecord", "kinesis:PutRecords"),
                List.of(dataStreamArn(account, region, resultsStream))));
        statements.add(statement("ReadCameraVideo", List.of("kinesisvideo:GetDataEndpoint", "kinesisvideo:GetMedia"),
                List.of(videoStreamArn(account, region, videoStream))));
        if (kmsKeyArn != null && kmsKeyArn.startsWith("arn:")) {
            statements.add(statement("DecryptCameraVideo", List.of("kms:Decrypt"), List.of(kmsKeyArn)));
        }
        return document(statements);
    }

    static ObjectNode statement(String sid, List<String> actions, List<String> resources) {
        ObjectNode s = JSON.createObjectNode().put("Sid", sid).put("Effect", "Allow");
        ArrayNode a = s.putArray("Action");
        actions.forEach(a::add);
        if (resources.size() == 1) {
            s.put("Resource", resources.get(0));
        } else {
            ArrayNode r = s.putArray("Resource");
            resources.forEach(r::add);
        }
        return s;
    }

    static String document(List<ObjectNode> statements) {
        ObjectNode doc = JSON.createObjectNode().put("Version", "2012-10-17");
        ArrayNode list = doc.putArray("Statement");
        statements.forEach(list::add);
        return canonical(doc);
    }

    public static String processorArn(String account, String region, String name) {
        return "arn:aws:rekognition:" + region + ":" + account + ":streamprocessor/" + name;
    }

    public static String dataStreamArn(String account, String region, String name) {
        return "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name;
    }

    /** Kinesis Video stream ARNs end in the creation time: {@code stream/<name>/<ms>}. */
    public static String videoStreamArn(String account, String region, String name) {
        return "arn:aws:kinesisvideo:" + region + ":" + account + ":stream/" + name + "/*";
    }

    /** A policy document as IAM returns it (URL-encoded or not), in canonical form. */
    public static String canonical(String document) {
        if (document == null) {
            return null;
        }
        String text = document.trim().startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
        try {
            return canonical(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    static String canonical(JsonNode node) {
        try {
            return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line about a policy for the plan: principals, actions and conditions, not the whole document. */
    static String summary(String document) {
        JsonNode doc;
        try {
            doc = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            return "(set)";
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode s : doc.path("Statement")) {
            StringBuilder sb = new StringBuilder();
            if (s.has("Principal")) {
                sb.append(s.path("Principal").path("Service").asText()).append(" may ");
            }
            List<String> actions = new ArrayList<>();
            s.path("Action").forEach(a -> actions.add(a.asText()));
            if (s.path("Action").isTextual()) {
                actions.add(s.path("Action").asText());
            }
            sb.append(String.join(", ", actions));
            if (s.has("Condition")) {
                List<String> keys = new ArrayList<>();
                s.path("Condition").forEach(c -> c.fieldNames().forEachRemaining(keys::add));
                sb.append(" if ").append(String.join(", ", keys));
            }
            parts.add(sb.toString());
        }
        return String.join("; ", parts);
    }
}
