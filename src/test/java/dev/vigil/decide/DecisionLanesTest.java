package dev.vigil.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.model.Alert;
import dev.vigil.sample.ScenarioGenerator;
import dev.vigil.testing.RunningVigil;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deciding on several lanes (one per camera hash) gives exactly the alerts of one thread, in order per camera. */
class DecisionLanesTest {

    @TempDir
    Path dir;

    @Test
    void fourLanesDecideTheSameAlertsWithTheSameIdsInTheSameOrderPerCameraAsOneThread() throws Exception {
        List<String> records = ScenarioGenerator.bench(30_000); // 200 cameras, visits of every kind
        Map<String, List<Alert>> oneThread = decide(records, 1);
        Map<String, List<Alert>> fourLanes = decide(records, 4);
        int alerts = oneThread.values().stream().mapToInt(List::size).sum();
        assertTrue(alerts > 100 && oneThread.size() > 50, "the records make alerts on many cameras: " + alerts);
        assertEquals(oneThread, fourLanes);
    }

    @Test
    void theLaneKeyIsTheRecordsStreamArnWithoutParsing() {
        String record = ScenarioGenerator.bench(1).get(0);
        String key = DecisionLanes.cameraKey(record);
        assertTrue(key.startsWith("arn:aws:kinesisvideo:") && key.contains(":stream/bench-"), key);
        assertEquals("", DecisionLanes.cameraKey("{\"InputInformation\": {"));
        assertEquals("", DecisionLanes.cameraKey("{\"StreamArn\": 7"));
    }

    @Test
    void camerasWhoseNamesHaveTheSameCharacterSumParityStillSpreadOverTwoLanes() {
        // String.hashCode's lowest bit is the parity of the characters' sum: hash % 2 put each of these on one lane
        List<String> sameParity = ScenarioGenerator.bench(200_000).stream().map(DecisionLanes::cameraKey).distinct()
                .filter(k -> k.hashCode() % 2 == 0).toList();
        long laneZero = sameParity.stream().filter(k -> DecisionLanes.laneOf(k.hashCode(), 2) == 0).count();
        assertTrue(sameParity.size() >= 50, "cameras: " + sameParity.size());
        assertTrue(laneZero > sameParity.size() * 0.3 && laneZero < sameParity.size() * 0.7,
                laneZero + " of " + sameParity.size() + " on lane 0");
        for (int lanes = 1; lanes <= 8; lanes++) {
            for (String k : sameParity) {
                int lane = DecisionLanes.laneOf(k.hashCode(), lanes);
                assertTrue(lane >= 0 && lane < lanes, k + " -> " + lane + " of " + lanes);
            }
        }
    }

    /** The alerts handed to the deliver route, by camera, in the order each camera's were decided. */
    private Map<String, List<Alert>> decide(List<String> records, int lanes) throws Exception {
        Map<String, List<Alert>> byCamera = new TreeMap<>();
        EventNotifierSupport collect = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof ExchangeSendingEvent sending
                        && sending.getEndpoint().getEndpointUri().startsWith("direct://deliver")
                        && sending.getExchange().getMessage().getBody() instanceof Alert a) {
                    synchronized (byCamera) {
                        byCamera.computeIfAbsent(a.camera().id(), c -> new ArrayList<>()).add(a);
                    }
                }
            }
        };
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data-" + lanes), Map.of("vigil.http.enabled", "false"),
                main -> main.configure().addConfiguration(new CamelConfiguration() {
                    @Override
                    public void configure(CamelContext context) {
                        context.getManagementStrategy().addEventNotifier(collect);
                    }
                }))) {
            if (lanes == 1) {
                records.forEach(r -> vigil.record(r, null));
            } else {
                try (DecisionLanes d = DecisionLanes.start(vigil.main().getCamelContext(), lanes, 100)) {
                    records.forEach(d::submit);
                    assertTrue(d.awaitDone(Duration.ofMinutes(5)), "every record decided");
                }
            }
        }
        synchronized (byCamera) {
            return new TreeMap<>(byCamera);
        }
    }
}
