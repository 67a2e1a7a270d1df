package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.ConfigException;
import dev.vigil.testing.RunningVigil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A routes directory that cannot decide anything stops start-up naming the setting, instead of Vigil starting,
 * reporting ready and dropping every record (DecisionRoutes).
 */
class DecisionRoutesStartTest {

    @TempDir
    Path dir;

    @Test
    void aRoutesDirectoryWithoutTheDecisionRoutesStopsStartUpNamingTheSettingAndTheFile() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals("20-decide.camel.yaml")).toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }

        ConfigException problem = startUpProblem(routes);

        assertTrue(problem.getMessage().startsWith("vigil.routes.dir: "), problem.getMessage());
        assertTrue(problem.getMessage().contains("direct:record (route decide) or direct:observation (route"
                + " decideObservation)"), problem.getMessage());
        assertTrue(problem.getMessage().contains("20-decide.camel.yaml"), problem.getMessage());
        assertTrue(problem.getMessage().contains(routes.toRealPath().toString()), problem.getMessage());
    }

    @Test
    void anEmptyRoutesDirectoryStopsStartUp() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("empty"));

        ConfigException problem = startUpProblem(routes);

        assertTrue(problem.getMessage().contains("the 0 route(s) loaded from " + routes.toRealPath()),
                problem.getMessage());
    }

    @Test
    void aDecisionRouteWithAnotherIdStillCounts() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("renamed"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                String yaml = Files.readString(f).replace("id: decideObservation", "id: observations");
                Files.writeString(routes.resolve(f.getFileName()), yaml);
            }
        }

        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.routes.dir", routes.toString(),
                "vigil.live.enabled", "false"))) {
            assertNotNull(vigil.main().getCamelContext().getRoute("observations"));
        }
    }

    private ConfigException startUpProblem(Path routes) throws IOException {
        Exception failed = assertThrows(Exception.class, () -> new RunningVigil(dir.resolve("data"),
                Map.of("vigil.routes.dir", routes.toString(), "vigil.live.enabled", "false")).close());
        ConfigException problem = Vigil.configProblem(failed);
        assertNotNull(problem, () -> "not a configuration problem: " + failed);
        return problem;
    }
}
