package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/alert-v1.schema.json is the contract: the documented examples and every alert Vigil sends match it. */
class AlertSchemaTest {

    private static final String SECRET = "schema-secret-0123456789";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonSchema schema() throws Exception {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(json.readTree(Path.of("docs/alert-v1.schema.json").toFile()));
    }

    @Test
    void documentedExamplesMatchTheSchema() throws Exception {
        List<Path> examples = Fixtures.files(Path.of("docs/alert-v1-examples"));
        assertEquals(7, examples.size(), examples.toString());
        for (Path example : examples) {
            Set<ValidationMessage> problems = schema().validate(json.readTree(example.toFile()));
            assertTrue(problems.isEmpty(), example + ": " + problems);
        }
    }

    @Test
    void everyAlertOfTheSampleDayMatchesTheSchema() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir, Map.of("vigil.webhook.url", receiver.url(),
                     "vigil.webhook.secret", SECRET))) {
            vigil.sampleDay();
            assertEquals(6, receiver.requests().size());
            for (WebhookReceiver.Request request : receiver.requests()) {
                JsonNode alert = request.json();
                Set<ValidationMessage> problems = schema().validate(alert);
                assertTrue(problems.isEmpty(), alert.get("type") + ": " + problems);
            }
        }
    }

    @Test
    void schemaRejectsAnAlertWithoutAnId() throws Exception {
        JsonNode example = json.readTree(Path.of("docs/alert-v1-examples/unknown_face.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) example).remove("id");
        assertTrue(!schema().validate(example).isEmpty(), "the schema is not vacuous");
    }
}
