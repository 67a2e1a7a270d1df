package dev.vigil.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.HouseholdLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil provision policy}: scoped to the household, and the same permissions as docs/iam/vigil-runtime-policy.json. */
class RuntimePolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode generated() throws Exception {
        Path file = dir.resolve("h.yaml");
        Files.writeString(file, """
                cameras:
                  - {id: front-door, name: Front door, kvsStream: front-door-cam}
                  - {id: driveway, name: Driveway, kvsStream: driveway-cam}
                channels:
                  sns: {topicArn: "arn:aws:sns:eu-west-2:123456789012:vigil-alerts"}
                  email: {transport: ses, from: vigil@example.org, to: [{address: me@example.org}]}
                """);
        return JSON.readTree(RuntimePolicy.of(HouseholdLoader.load(file.toString()), "123456789012", "eu-west-2",
                "vigil", "vigil-delivered-alerts"));
    }

    /** Statement id -> actions. */
    private static Map<String, Set<String>> actions(JsonNode policy) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode s : policy.get("Statement")) {
            Set<String> a = new TreeSet<>();
            s.get("Action").forEach(x -> a.add(x.asText()));
            out.put(s.get("Sid").asText().replace("IfConfigured", ""), a);
        }
        return out;
    }

    @Test
    void grantsWhatTheDocumentedPolicyGrantsNoMore() throws Exception {
        Map<String, Set<String>> documented = actions(JSON.readTree(Path.of("docs/iam/vigil-runtime-policy.json").toFile()));
        assertEquals(documented, actions(generated()));
    }

    @Test
    void isScopedToTheHouseholdsStreamsTablesTopicProcessorsAndRoles() throws Exception {
        Map<String, JsonNode> bySid = new TreeMap<>();
        generated().get("Statement").forEach(s -> bySid.put(s.get("Sid").asText(), s.get("Resource")));
        assertEquals(JSON.readTree("""
                ["arn:aws:kinesis:eu-west-2:123456789012:stream/AmazonRekognition-front-door-cam",
                 "arn:aws:kinesis:eu-west-2:123456789012:stream/AmazonRekognition-driveway-cam"]"""),
                bySid.get("ReadCameraResultsStreams"));
        assertEquals(JSON.readTree("""
                ["arn:aws:rekognition:eu-west-2:123456789012:streamprocessor/vigil-front-door",
                 "arn:aws:rekognition:eu-west-2:123456789012:streamprocessor/vigil-driveway",
                 "arn:aws:rekognition:eu-west-2:123456789012:collection/vigil-household"]"""),
                bySid.get("StreamProcessorLifecycle"));
        assertEquals("arn:aws:sns:eu-west-2:123456789012:vigil-alerts", bySid.get("SnsChannel").asText());
        assertEquals("arn:aws:dynamodb:eu-west-2:123456789012:table/vigil", bySid.get("KclLeasesAndCheckpoints").asText());
        assertTrue(bySid.get("PassProcessorRoleToRekognition").toString().contains("role/vigil/vigil-rekognition-driveway"));
    }
}
