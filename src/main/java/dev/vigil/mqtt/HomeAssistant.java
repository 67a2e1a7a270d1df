package dev.vigil.mqtt;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.arming.ModeState;
import dev.vigil.config.Channels;
import dev.vigil.config.Household;
import dev.vigil.decide.VisitWatcher;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's state on MQTT (all retained) and its Home Assistant MQTT discovery
 * ({@code <discovery prefix>/<component>/<node id>/<object id>/config}):
 * <ul>
 *   <li>per camera a binary_sensor "Unknown face" ({@code <prefix>/camera/<id>/unknown_face}: ON while an unknown
 *       visit is open, OFF one visit window after its last frame; OFF at every start) and a sensor "Last alert"
 *       ({@code <prefix>/camera/<id>/last_alert}, JSON: type, severity, at, person);</li>
 *   <li>per known person a timestamp sensor "last seen" ({@code <prefix>/person/<id>/last_seen}, JSON: at, camera);</li>
 *   <li>a select "Arming mode" ({@code <prefix>/mode}, commands on {@code <prefix>/mode/set}).</li>
 * </ul>
 * Entities of cameras and people no longer in the household get an empty retained config (Home Assistant
 * removes them); the config topics published are kept in {@code <vigil.data.dir>/mqtt/discovery.json}.
 *
 * <p>Over 250 lines on purpose: each entity's discovery config and its state topics must agree, so they are
 * written side by side.
 */
public class HomeAssistant implements VisitWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(HomeAssistant.class);

    private final MqttLink link;
    private final Channels.Mqtt config;
    private final ObjectMapper json;
    private final Path published;
    private final Clock clock;
    private final String node;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-ha-sensors");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> unknownOff = new ConcurrentHashMap<>();
    private volatile Household household;

    public HomeAssistant(MqttLink link, Channels.Mqtt config, ObjectMapper json, Path dataDir, Clock clock) {
        this.link = link;
        this.config = config;
        this.json = json;
        this.published = dataDir.resolve("mqtt").resolve("discovery.json");
        this.clock = clock;
        this.node = config.prefix().replace('/', '_');
    }

    public String modeTopic() {
        return config.prefix() + "/mode";
    }

    public String modeCommandTopic() {
        return config.prefix() + "/mode/set";
    }

    public String unknownTopic(String camera) {
        return config.prefix() + "/camera/" + camera + "/unknown_face";
    }

    public String lastAlertTopic(String camera) {
        return config.prefix() + "/camera/" + camera + "/last_alert";
    }

    public String lastSeenTopic(String person) {
        return config.prefix() + "/person/" + person + "/last_seen";
    }

    /**
     * Publishes the household's entities (at start and after a live edit of the household file): discovery
     * configs, every camera's unknown face OFF, and removes the entities of cameras and people that left.
     */
    public synchronized void apply(Household h) {
        this.household = h;
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        if (config.homeAssistant().discovery()) {
            configs.putAll(discovery(h));
        }
        Set<String> before = readPublished();
        for (String topic : before) {
            if (!configs.containsKey(topic)) {
                link.retain(topic, ""); // Home Assistant removes an entity whose config becomes empty
                LOG.info("Home Assistant: entity {} removed (no longer in the household)", topic);
            }
        }
        configs.forEach((topic, payload) -> link.retain(topic, write(payload)));
        for (Household.Camera c : h.cameras()) {
            if (!unknownOff.containsKey(c.id())) {
                link.retain(unknownTopic(c.id()), "OFF"); // never left on from before a restart
            }
        }
        writePublished(configs.keySet());
    }

    /** The discovery config of every entity, by config topic. */
    public Map<String, Map<String, Object>> discovery(Household h) {
        String ha = config.homeAssistant().prefix();
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        Map<String, Object> hub = device(node, "Vigil", "Face alerts");
        for (Household.Camera c : h.cameras()) {
            String oid = safe(c.id());
            Map<String, Object> camera = device(node + "_camera_" + oid, c.name(), "Camera");
            camera.put("via_device", node);
            Map<String, Object> unknown = entity("Unknown face", node + "_" + oid + "_unknown_face", camera);
            unknown.put("state_topic", unknownTopic(c.id()));
            unknown.put("payload_on", "ON");
            unknown.put("payload_off", "OFF");
            unknown.put("device_class", "occupancy");
            unknown.put("icon", "mdi:face-recognition");
            configs.put(ha + "/binary_sensor/" + node + "/" + oid + "_unknown_face/config", unknown);
            Map<String, Object> last = entity("Last alert", node + "_" + oid + "_last_alert", camera);
            last.put("state_topic", lastAlertTopic(c.id()));
            last.put("value_template", "{{ value_json.type }}");
            last.put("json_attributes_topic", lastAlertTopic(c.id()));
            last.put("icon", "mdi:cctv");
            configs.put(ha + "/sensor/" + node + "/" + oid + "_last_alert/config", last);
        }
        for (Household.Person p : h.people()) {
            String oid = safe(p.id());
            Map<String, Object> seen = entity(p.name() + " last seen", node + "_person_" + oid + "_last_seen", hub);
            seen.put("state_topic", lastSeenTopic(p.id()));
            seen.put("value_template", "{{ value_json.at }}");
            seen.put("json_attributes_topic", lastSeenTopic(p.id()));
            seen.put("device_class", "timestamp");
            configs.put(ha + "/sensor/" + node + "/person_" + oid + "_last_seen/config", seen);
        }
        Map<String, Object> mode = entity("Arming mode", node + "_arming_mode", hub);
        mode.put("state_topic", modeTopic());
        mode.put("command_topic", modeCommandTopic());
        mode.put("options", List.of("home", "away", "night"));
        mode.put("json_attributes_topic", modeTopic() + "/attributes");
        mode.put("icon", "mdi:shield-home");
        configs.put(ha + "/select/" + node + "/arming_mode/config", mode);
        return configs;
    }

    /** The arming mode in force: its name (the select's state) and why (attributes). */
    public void mode(ModeState s) {
        link.retain(modeTopic(), s.modeName());
        link.retain(modeTopic() + "/attributes", write(dev.vigil.arming.ModeApi.view(s)));
    }

    /** A delivered alert: the camera's "last alert" sensor. */
    public void lastAlert(Alert a) {
        Household h = household;
        if (h == null || h.cameras().stream().noneMatch(c -> c.id().equals(a.camera().id()))) {
            return;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("type", a.type().wire());
        state.put("severity", a.severity().wire());
        state.put("at", a.observedAt().toString());
        state.put("id", a.id());
        state.put("person", a.person() == null ? null : a.person().name());
        link.retain(lastAlertTopic(a.camera().id()), write(state));
    }

    @Override
    public void frame(String camera, String visitId, Outcome outcome, AlertType alertedAs, String personId,
                      Instant frameTime, boolean decidedNow) {
        Household h = household;
        if (h == null || h.cameras().stream().noneMatch(c -> c.id().equals(camera))) {
            return; // a stream no camera claims has no entities
        }
        if (alertedAs == AlertType.UNKNOWN_FACE && outcome == Outcome.UNKNOWN) {
            Duration window = h.policy().visit().window();
            ScheduledFuture<?> previous = unknownOff.put(camera, timers.schedule(() -> {
                unknownOff.remove(camera);
                link.retain(unknownTopic(camera), "OFF");
            }, window.toMillis(), TimeUnit.MILLISECONDS));
            if (previous == null) {
                link.retain(unknownTopic(camera), "ON");
            } else {
                previous.cancel(false);
            }
        } else if (alertedAs == AlertType.VISIT_UPDATE) {
            ScheduledFuture<?> pending = unknownOff.remove(camera);
            if (pending != null) {
                pending.cancel(false);
                link.retain(unknownTopic(camera), "OFF"); // the unknown face was someone known
            }
        }
        if (outcome == Outcome.KNOWN && decidedNow && personId != null
                && h.people().stream().anyMatch(p -> p.id().equals(personId))) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("at", frameTime.toString());
            state.put("camera", camera);
            h.cameras().stream().filter(c -> c.id().equals(camera)).findFirst()
                    .ifPresent(c -> state.put("camera_name", c.name()));
            link.retain(lastSeenTopic(personId), write(state));
        }
    }

    private Map<String, Object> entity(String name, String uniqueId, Map<String, Object> device) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("unique_id", uniqueId);
        e.put("availability_topic", link.availabilityTopic());
        e.put("payload_available", "online");
        e.put("payload_not_available", "offline");
        e.put("device", device);
        return e;
    }

    private static Map<String, Object> device(String id, String name, String model) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("identifiers", List.of(id));
        d.put("name", name);
        d.put("manufacturer", "Vigil");
        d.put("model", model);
        return d;
    }

    /** Object ids in discovery topics: [a-zA-Z0-9_-]. */
    private static String safe(String id) {
        return id.replaceAll("[^a-zA-Z0-9_-]", "_");
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<String> readPublished() {
        try {
            return Files.isRegularFile(published)
                    ? new LinkedHashSet<>(json.readValue(published.toFile(), new TypeReference<List<String>>() { }))
                    : Set.of();
        } catch (IOException e) {
            LOG.warn("Home Assistant: {} cannot be read ({}); entities of removed cameras may stay", published,
                    e.getClass().getSimpleName());
            return Set.of();
        }
    }

    private void writePublished(Set<String> topics) {
        try {
            Files.createDirectories(published.getParent());
            Files.write(published, json.writeValueAsBytes(List.copyOf(topics)));
        } catch (IOException e) {
            LOG.warn("Home Assistant: cannot write {} ({})", published, e.getMessage());
        }
    }

    public void close() {
        timers.shutdownNow();
    }
}
