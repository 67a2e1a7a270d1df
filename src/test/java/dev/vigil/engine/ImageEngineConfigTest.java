package dev.vigil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.Vigil;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image engine's settings: the household file's cameras[].image, and the trigger's token. */
class ImageEngineConfigTest {

    @TempDir
    Path dir;

    @Test
    void imageSettingsAreReadWithMaskAndBudget() {
        Household h = HouseholdLoader.load(camera("""
                    engine: image
                    image:
                      interval: 500ms
                      motionSensitivity: 0.7
                      dailyBudgetUsd: 0.25
                      mask:
                        - {left: 0, top: 0.8, width: 1, height: 0.2}
                """).toString());
        Household.Camera c = h.cameras().get(0);
        assertEquals(Household.Engine.IMAGE, c.engine());
        assertEquals(Duration.ofMillis(500), c.image().interval());
        assertEquals(0.25, c.image().dailyBudgetUsd());
        assertEquals(0.8, c.image().mask().get(0).top());
    }

    @Test
    void badImageSettingsStopStartUpNamingTheKey() {
        assertProblem("image:\n      interval: 100ms\n", "cameras[0].image.interval");
        assertProblem("image:\n      motionSensitivity: 2\n", "cameras[0].image.motionSensitivity");
        assertProblem("image:\n      mask: [{left: 0.5, top: 0, width: 0.8, height: 1}]\n", "cameras[0].image.mask[0]");
        assertProblem("image:\n      dailyBudgetUsd: -1\n", "cameras[0].image.dailyBudgetUsd");
    }

    @Test
    void theTriggerWithoutATokenStopsStartUp() {
        Exception e = assertThrows(Exception.class, () -> new RunningVigil(dir.resolve("data"), Map.of(
                "vigil.image.trigger.enabled", "true", "vigil.api.token", "short")).close());
        ConfigException problem = Vigil.configProblem(e);
        assertTrue(problem != null && problem.getMessage().startsWith("vigil.api.token:"), String.valueOf(e));
    }

    @Test
    void aHouseholdOfImageCamerasOnlyNeedsNoResultsStream() throws Exception {
        Path household = camera("    engine: image\n");
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.config", household.toString(),
                "vigil.kinesis.enabled", "true", "vigil.image.enabled", "false",
                "vigil.aws.endpoints.kinesis", "http://127.0.0.1:9", "vigil.aws.endpoints.dynamodb", "http://127.0.0.1:9"))) {
            assertEquals(org.apache.camel.ServiceStatus.Stopped,
                    vigil.main().getCamelContext().getRouteController().getRouteStatus("ingestKinesis"),
                    "the Kinesis source is off: no camera has a stream processor");
        }
    }

    @Test
    void theTriggerComparesTheWholeBearerToken() {
        dev.vigil.ApiToken token = dev.vigil.ApiToken.from("0123456789abcdef0123", "", "vigil.image.trigger.enabled");
        assertTrue(token.accepts("Bearer 0123456789abcdef0123"));
        assertTrue(token.accepts("bearer 0123456789abcdef0123"));
        assertTrue(!token.accepts("Bearer 0123456789abcdef012"));
        assertTrue(!token.accepts("Bearer 0123456789abcdef01234"));
        assertTrue(!token.accepts("0123456789abcdef0123"));
        assertTrue(!token.accepts(null));
        assertTrue(!dev.vigil.ApiToken.none().accepts("Bearer "), "no token configured: nothing is authorised");
        ConfigException e = assertThrows(ConfigException.class,
                () -> dev.vigil.ApiToken.from("short", "", "vigil.image.trigger.enabled"));
        assertTrue(e.getMessage().startsWith("vigil.api.token: vigil.image.trigger.enabled=true"), e.getMessage());
    }

    private void assertProblem(String imageYaml, String key) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HouseholdLoader.load(camera("    " + imageYaml).toString()));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    private Path camera(String extra) {
        return Fixtures.write(dir.resolve("h.yaml"), """
                cameras:
                  - id: porch
                    name: Porch
                    kvsStream: porch-cam
                """ + extra);
    }
}
