package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Vigil;
import dev.vigil.config.ConfigException;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** routes/43-deliver-sns.camel.yaml against SNS in moto, with an http subscription to a real local endpoint. */
class SnsChannelTest {

    @TempDir
    Path dir;
    private Moto moto;

    @BeforeEach
    void emulator() {
        moto = Moto.fresh();
    }

    private Path household(String channels) {
        return Fixtures.exampleHouseholdWith(dir, channels);
    }

    @Test
    void eachAlertIsPublishedWithASubjectPerProtocolMessagesAndFilterableAttributes() throws Exception {
        try (SnsClient sns = SnsClient.builder().endpointOverride(URI.create(moto.endpoint()))
                .region(Region.of(Moto.REGION)).build();
             WebhookReceiver subscriber = new WebhookReceiver("unused-0123456789abcdef")) {
            String topic = sns.createTopic(b -> b.name("vigil-alerts")).topicArn();
            sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(subscriber.url()));
            Path config = household("""
                    channels:
                      sns:
                        topicArn: %s
                        filter:
                          types: [unknown_face, visit_update]
                    """.formatted(topic));
            try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.config", config.toString(),
                    "vigil.aws.endpoint", moto.endpoint(), "vigil.aws.region", Moto.REGION))) {
                vigil.sampleDay();
            }
            assertEquals(4, subscriber.requests().size(), "3 unknown faces and the visit update");
            JsonNode notification = subscriber.requests().get(0).json();
            assertEquals("Notification", notification.get("Type").asText());
            assertEquals("Unknown person at Driveway, 11:32", notification.get("Subject").asText());
            JsonNode alert = new ObjectMapper().readTree(notification.get("Message").asText());
            assertEquals("unknown_face", alert.get("type").asText(), "http subscribers get Alert v1 JSON");

            JsonNode sent = new ObjectMapper().readTree(URI.create(moto.endpoint() + "/moto-api/data.json").toURL())
                    .path("sns").path("Topic");
            JsonNode published = sent.get(0).get("sent_notifications"); // [id, message, subject, attributes, ...]
            assertEquals(4, published.size());
            for (JsonNode p : published) {
                JsonNode attributes = p.get(3);
                Set<String> names = new TreeSet<>();
                attributes.fieldNames().forEachRemaining(names::add);
                JsonNode perProtocol = new ObjectMapper().readTree(p.get(1).asText());
                String type = new ObjectMapper().readTree(perProtocol.get("http").asText()).get("type").asText();
                assertEquals(type, attributes.get("type").get("Value").asText());
                assertEquals(type.equals("visit_update") ? Set.of("camera", "person", "severity", "type")
                        : Set.of("camera", "severity", "type"), names, "only the documented attributes");
                assertTrue(perProtocol.get("sms").asText().length() < 100 && perProtocol.get("email").asText()
                        .startsWith(p.get(2).asText()), "readable text for people");
            }
            assertEquals("alice", published.get(2).get(3).get("person").get("Value").asText());
        }
    }

    @Test
    void fifoTopicsAreRefused() {
        Path config = household("""
                channels:
                  sns:
                    topicArn: arn:aws:sns:us-east-1:123456789012:alerts.fifo
                """);
        ConfigException problem = Vigil.configProblem(assertThrows(Exception.class,
                () -> new RunningVigil(dir.resolve("data"), Map.of("vigil.config", config.toString()))));
        assertNotNull(problem);
        assertTrue(problem.getMessage().contains("channels.sns.topicArn: is a FIFO topic"), problem.getMessage());
    }
}
