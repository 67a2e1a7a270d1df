package dev.vigil.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.Mosquitto;
import dev.vigil.testing.MqttProbe;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Streams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Home Assistant over a real Mosquitto: discovery payloads as Home Assistant requires them, the unknown-face
 * sensor, entities removed with their camera or person, and arming by presence and by the select's command
 * topic (never by a stale retained command).
 */
class HomeAssistantTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final Pattern CONFIG_TOPIC = Pattern.compile("homeassistant/(binary_sensor|sensor|select)/vigil/[a-zA-Z0-9_-]+/config");

    @TempDir
    Path dir;
    Mosquitto broker;

    @BeforeEach
    void start() throws Exception {
        broker = new Mosquitto(dir.resolve("broker"));
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
    }

    Path household(String cameras, String people) {
        return Fixtures.write(dir.resolve("household.yaml"), """
                cameras:
                %s
                people:
                %s
                policy:
                  thresholds: {maxYaw: 80}
                  visit: {window: 2s}
                presence:
                  alice: {topic: home/alice/presence}
                %s
                channels:
                  mqtt:
                    url: %s
                """.formatted(cameras, people, people.contains("bob")
                ? "  bob: {topic: homeassistant/device_tracker/bob_phone/state}" : "", broker.url()));
    }

    Path fullHousehold() {
        return household("""
                  - {id: lab, name: Lab camera, kvsStream: face_recognition}
                  - {id: porch, name: Porch, kvsStream: porch-cam}""", """
                  - {id: alice, name: Alice}
                  - {id: bob, name: Bob}""");
    }

    RunningVigil vigil(Path household) throws Exception {
        return new RunningVigil(dir.resolve("data"), Map.of("vigil.config", household.toString(),
                "vigil.api.enabled", "true", "vigil.api.token", TOKEN, "vigil.mqtt.reconnect-ms", "1000"));
    }

    static void online(MqttProbe probe) throws InterruptedException {
        Streams.await(Duration.ofSeconds(20), () -> "online".equals(probe.last("vigil/availability")), "Vigil online");
    }

    @Test
    void discoveryPayloadsHaveWhatHomeAssistantRequiresAndLeaveWithTheirCameraOrPerson() throws Exception {
        try (MqttProbe ha = new MqttProbe(broker.url(), "ha", false).subscribe("homeassistant/#").subscribe("vigil/#");
             RunningVigil vigil = vigil(fullHousehold())) {
            online(ha);
            Streams.await(Duration.ofSeconds(10), () -> ha.on("homeassistant/").size() >= 7, "7 entities");
            Set<String> uniqueIds = new HashSet<>();
            for (MqttProbe.Received r : ha.on("homeassistant/")) {
                assertTrue(CONFIG_TOPIC.matcher(r.topic()).matches(), r.topic());
                assertTrue(r.retained() || r.at() > 0, "discovery configs are retained");
                JsonNode c = MqttChannelTest.json(r.payload());
                assertTrue(uniqueIds.add(c.get("unique_id").asText()), "unique_id is unique: " + c.get("unique_id"));
                assertFalse(c.get("name").asText().isBlank());
                assertTrue(c.at("/device/identifiers").isArray() && c.at("/device/identifiers").size() > 0, r.topic());
                assertFalse(c.at("/device/name").asText().isBlank());
                assertEquals("vigil/availability", c.get("availability_topic").asText());
                assertTrue(c.get("state_topic").asText().startsWith("vigil/"));
                if (r.topic().contains("/select/")) {
                    assertEquals("vigil/mode/set", c.get("command_topic").asText());
                    assertEquals(List.of("home", "away", "night"),
                            Json.list(c.get("options")));
                }
                if (r.topic().contains("/binary_sensor/")) {
                    assertEquals("ON", c.get("payload_on").asText());
                    assertEquals("OFF", c.get("payload_off").asText());
                }
            }
            assertEquals(Set.of("vigil_lab_unknown_face", "vigil_porch_unknown_face", "vigil_lab_last_alert",
                    "vigil_porch_last_alert", "vigil_person_alice_last_seen", "vigil_person_bob_last_seen",
                    "vigil_arming_mode"), uniqueIds);
            assertEquals("OFF", ha.last("vigil/camera/lab/unknown_face"));
            assertEquals("home", ha.last("vigil/mode"));

            Fixtures.realUnknownPair().forEach(r -> vigil.record(r, "pair"));
            Streams.await(Duration.ofSeconds(5), () -> "ON".equals(ha.last("vigil/camera/lab/unknown_face")), "ON");
            Streams.await(Duration.ofSeconds(5), () -> ha.last("vigil/camera/lab/last_alert") != null,
                    "the alert itself, published once delivered (after the sensor, which follows the decision)");
            assertEquals("unknown_face", MqttChannelTest.json(ha.last("vigil/camera/lab/last_alert")).get("type").asText());
            Streams.await(Duration.ofSeconds(10), () -> "OFF".equals(ha.last("vigil/camera/lab/unknown_face")),
                    "OFF once the visit window (2s) passed");
        }
        // a restart while ON does not leave it on; the porch camera and Bob left the household
        try (RunningVigil first = vigil(fullHousehold())) {
            Fixtures.realUnknownPair().forEach(r -> first.record(r, "pair"));
        }
        try (RunningVigil vigil = vigil(household("  - {id: lab, name: Lab camera, kvsStream: face_recognition}",
                "  - {id: alice, name: Alice}"));
             MqttProbe later = new MqttProbe(broker.url(), "ha-later", false).subscribe("homeassistant/#").subscribe("vigil/#")) {
            online(later);
            TimeUnit.SECONDS.sleep(1);
            assertEquals("OFF", later.last("vigil/camera/lab/unknown_face"), "never left on after a restart");
            Set<String> retainedConfigs = new HashSet<>();
            later.on("homeassistant/").forEach(r -> {
                if (!r.payload().isEmpty()) {
                    retainedConfigs.add(r.topic());
                } else {
                    retainedConfigs.remove(r.topic());
                }
            });
            assertEquals(Set.of("homeassistant/binary_sensor/vigil/lab_unknown_face/config",
                    "homeassistant/sensor/vigil/lab_last_alert/config",
                    "homeassistant/sensor/vigil/person_alice_last_seen/config",
                    "homeassistant/select/vigil/arming_mode/config"), retainedConfigs,
                    "the porch camera's and Bob's entities are removed (empty retained config)");
        }
    }

    @Test
    void presenceSwitchesTheModeAndTheNextUnknownAlertFollows() throws Exception {
        try (MqttProbe ha = new MqttProbe(broker.url(), "ha", false).subscribe("vigil/#");
             RunningVigil vigil = vigil(fullHousehold())) {
            online(ha);
            ha.publish("home/alice/presence", "not_home", true);
            ha.publish("homeassistant/device_tracker/bob_phone/state", "not_home", true);
            Streams.await(Duration.ofSeconds(10), () -> "away".equals(ha.last("vigil/mode")), "away");
            JsonNode mode = mode(vigil);
            assertEquals("away", mode.get("mode").asText());
            assertEquals("presence", mode.get("reason").asText());
            assertEquals("presence", MqttChannelTest.json(ha.last("vigil/mode/attributes")).get("reason").asText());

            Fixtures.realUnknownPair().forEach(r -> vigil.record(r, "pair"));
            Streams.await(Duration.ofSeconds(10), () -> !ha.on("vigil/alerts/").isEmpty(), "the alert");
            assertEquals("critical", MqttChannelTest.json(ha.on("vigil/alerts/").get(0).payload()).get("severity").asText(),
                    "an unknown face while everyone is away is critical");

            ha.publish("homeassistant/device_tracker/bob_phone/state", "home", true);
            Streams.await(Duration.ofSeconds(10), () -> "home".equals(ha.last("vigil/mode")), "home when Bob is back");
            assertEquals("bob came home", mode(vigil).get("detail").asText());
        }
    }

    @Test
    void onlyLiveCommandsOnTheSelectsTopicChangeTheMode() throws Exception {
        try (MqttProbe ha = new MqttProbe(broker.url(), "ha", false).subscribe("vigil/#")) {
            ha.publish("vigil/mode/set", "away", true); // a stale retained command, as Double Take's was
            try (RunningVigil vigil = vigil(fullHousehold())) {
                online(ha);
                TimeUnit.SECONDS.sleep(1);
                assertEquals("home", mode(vigil).get("mode").asText(), "a retained command does not arm at start-up");

                ha.publish("vigil/mode/set", "holiday", false);
                ha.publish("vigil/mode/other", "away", false);
                TimeUnit.MILLISECONDS.sleep(500);
                assertEquals("home", mode(vigil).get("mode").asText(), "unknown values and topics are ignored");

                ha.publish("vigil/mode/set", "night", false);
                Streams.await(Duration.ofSeconds(10), () -> "night".equals(ha.last("vigil/mode")), "night");
                JsonNode mode = mode(vigil);
                assertEquals("manual", mode.get("reason").asText());
                assertEquals("home assistant", mode.get("detail").asText());
            }
        }
    }

    JsonNode mode(RunningVigil vigil) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(vigil.httpUrl() + "/api/mode"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode node = MqttChannelTest.json(r.body());
        assertNotNull(node.get("mode"));
        return node;
    }

    static final class Json {
        static List<String> list(JsonNode array) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            array.forEach(n -> out.add(n.asText()));
            return out;
        }
    }
}
