package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.decide.CameraClocksHealthCheck;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** routes/20-decide.camel.yaml with the real captured frames: a frame counts once, a camera's clock is checked. */
class FramesRouteTest {

    private static final String SECRET = "test-secret-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void theRealFramesEachDeliveredTwiceMakeOneAlertOfTwoFramesAndTheRepeatsAreCounted() throws Exception {
        List<String> pair = Fixtures.realUnknownPair();
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET); RunningVigil vigil = vigil(receiver)) {
            vigil.record(pair.get(0), "shard#1");
            vigil.record(pair.get(0), "shard#1-retry");
            assertEquals(0, receiver.requests().size(), "one frame twice is still one frame: no alert");

            vigil.record(pair.get(1), "shard#2");
            vigil.record(pair.get(1), "shard#2-retry");

            assertEquals(1, receiver.requests().size());
            assertEquals(2, receiver.requests().get(0).json().path("visit").path("frames").asInt());
            assertEquals(2.0, metrics(vigil).find("vigil.frames.duplicate").counter().count());
        }
    }

    @Test
    void aLiveFrameFromTheFutureTurnsTheCameraClocksCheckDownNamingTheCamera() throws Exception {
        String record = Fixtures.realUnknownPair().get(0);
        double inAnHour = Instant.now().plusSeconds(3600).toEpochMilli() / 1000.0;
        String future = record.replace("\"ProducerTimestamp\":1.605467324071E9", "\"ProducerTimestamp\":" + inAnHour);
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET); RunningVigil vigil = vigil(receiver)) {
            HealthCheck clocks = vigil.main().getCamelContext().getRegistry()
                    .lookupByNameAndType(CameraClocksHealthCheck.ID, HealthCheck.class);
            assertEquals(HealthCheck.State.UP, clocks.call().getState());

            vigil.liveRecord(future, "shard#1");

            HealthCheck.Result result = clocks.call();
            assertEquals(HealthCheck.State.DOWN, result.getState());
            // an hour ahead of when the record was made, less the start-up and hand-over time since (seconds, cut down)
            assertTrue(result.getMessage().orElse("").matches("camera face_recognition: clock is off \\(frame 3[56]\\d\\d s ahead.*"),
                    result.getMessage().orElse(""));
            assertEquals(1.0, metrics(vigil).find("vigil.frames.clock.skewed").tag("kind", "future").counter().count());
        }
    }

    private RunningVigil vigil(WebhookReceiver receiver) throws Exception {
        return new RunningVigil(dir.resolve("data"), Map.of("vigil.config", Fixtures.profileFriendlyHousehold(dir).toString(),
                "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET));
    }

    private static MeterRegistry metrics(RunningVigil vigil) {
        return vigil.main().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
    }
}
