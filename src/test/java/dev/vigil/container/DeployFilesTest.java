package dev.vigil.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile, docker/compose.yaml and docs/deploy.md cannot be run here (no Docker engine),
 * so they are checked against the code: every VIGIL_* variable they set is a setting Vigil reads, every file
 * they mount or copy exists, the compose household passes Vigil's own validation, the health path is the one
 * HealthProbe checks, and the port is the one the jib image exposes.
 */
class DeployFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\bVIGIL_[A-Z0-9_]+\\b");
    private static final Path COMPOSE = Path.of("docker/compose.yaml");
    private static final Path DOCKERFILE = Path.of("docker/Dockerfile");

    /** VIGIL_* variables Vigil reads: every vigil.* key of config/ (upper case, dots and dashes as _) and the few read in code. */
    static Set<String> knownVariables() throws IOException {
        // read directly by VigilRuntime and log4j2.properties; and, until their branches are merged, the HTTP port
        // of health and metrics (vigil.http.port), JSON logs, the shutdown grace period and the API token
        Set<String> known = new TreeSet<>(Set.of("VIGIL_PROFILE", "VIGIL_ROUTES_DIR", "VIGIL_LOG_LEVEL",
                "VIGIL_CAMEL_LOG_LEVEL", "VIGIL_HTTP_PORT", "VIGIL_API_TOKEN", "VIGIL_LOG_FORMAT", "VIGIL_SHUTDOWN_GRACE"));
        try (Stream<Path> files = Files.list(Path.of("config"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher key = Pattern.compile("^\\s*(vigil\\.[a-z0-9.-]+)\\s*=").matcher(line);
                    if (key.find()) {
                        known.add(key.group(1).toUpperCase().replace('.', '_').replace('-', '_'));
                    }
                }
            }
        }
        return known;
    }

    @Test
    void composeSetsOnlySettingsVigilReadsAndMountsFilesThatExist() throws Exception {
        JsonNode services = YAML.readTree(COMPOSE.toFile()).get("services");
        assertEquals(Set.of("moto", "seed", "mailpit", "webhook-receiver", "vigil"), names(services));
        JsonNode vigil = services.get("vigil");
        Set<String> unknown = new TreeSet<>(names(vigil.get("environment")));
        unknown.removeIf(v -> !v.startsWith("VIGIL_"));
        unknown.removeAll(knownVariables());
        assertTrue(unknown.isEmpty(), "compose sets variables Vigil does not read: " + unknown);
        assertEquals("10001:10001", vigil.get("user").asText());
        assertTrue(vigil.get("read_only").asBoolean());
        assertEquals("docker/Dockerfile", vigil.at("/build/dockerfile").asText());
        assertEquals("http://moto:5000", vigil.at("/environment/VIGIL_AWS_ENDPOINT").asText());
        assertEquals(vigil.at("/environment/VIGIL_WEBHOOK_SECRET").asText(),
                services.at("/webhook-receiver/environment/VIGIL_WEBHOOK_SECRET").asText(), "the receiver checks Vigil's secret");
        assertTrue(vigil.at("/environment/VIGIL_WEBHOOK_URL").asText()
                .startsWith("http://webhook-receiver:" + services.at("/webhook-receiver/environment/RECEIVER_PORT").asText() + "/"));

        List<String> mounted = new ArrayList<>();
        services.forEach(s -> s.path("volumes").forEach(v -> {
            String host = v.asText().split(":")[0];
            if (host.startsWith(".")) {
                mounted.add(host);
                assertTrue(Files.exists(COMPOSE.getParent().resolve(host)), "compose mounts " + host + ", which does not exist");
            }
        }));
        assertTrue(mounted.contains("./compose/household.yaml"), mounted.toString());
    }

    @Test
    void theComposeHouseholdPassesVigilsValidation() {
        Household household = HouseholdLoader.load("docker/compose/household.yaml");
        assertEquals(3, household.cameras().size());
        assertEquals("mailpit", household.channels().email().smtp().host());
    }

    @Test
    void dockerfileCopiesWhatExistsRunsAsNonRootAndChecksTheReadinessPath() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE);
        Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(\\S+) ").matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            copies++;
            assertTrue(Files.exists(Path.of(copy.group(1))), "Dockerfile copies " + copy.group(1) + ", which does not exist");
        }
        assertTrue(copies >= 5, "found the COPY lines");
        Matcher fromBuild = Pattern.compile("(?m)^COPY --from=build /src/(\\S+) ").matcher(dockerfile);
        while (fromBuild.find()) {
            String built = fromBuild.group(1);
            if (built.startsWith("target/classes/")) {
                assertTrue(Files.exists(Path.of(built.replace("target/classes/", "src/main/java/").replace(".class", ".java"))), built);
            } else {
                assertEquals("target/vigil.jar", built);
            }
        }
        assertTrue(dockerfile.contains("\nUSER 10001:10001\n"), "runs as uid 10001");
        assertTrue(dockerfile.contains("\"" + HealthProbe.class.getName() + "\", \"" + HealthProbe.READY + "\""), "HEALTHCHECK runs HealthProbe on the readiness path");
        assertTrue(dockerfile.contains("VOLUME [\"/data\"]") && dockerfile.contains("VIGIL_DATA_DIR=/data"));
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(dockerfile.contains("\nEXPOSE 8080\n") && pom.contains("<ports><port>8080</port></ports>"),
                "the Docker image and the jib image expose the same port");
        Set<String> unknown = variables(dockerfile);
        unknown.removeAll(knownVariables());
        assertTrue(unknown.isEmpty(), "Dockerfile sets variables Vigil does not read: " + unknown);
    }

    @Test
    void theDeployDocumentNamesOnlySettingsVigilReads() throws Exception {
        String deploy = Files.readString(Path.of("docs/deploy.md"));
        Set<String> known = knownVariables();
        Set<String> unknown = variables(deploy);
        unknown.removeIf(v -> v.endsWith("_FILE") && known.contains(v.substring(0, v.length() - 5)));
        unknown.removeAll(known);
        assertTrue(unknown.isEmpty(), "docs/deploy.md names variables Vigil does not read: " + unknown);
        for (String path : List.of("/observe/health/live", "/observe/health/ready", "/observe/metrics")) {
            assertTrue(deploy.contains(path), "Deploy names " + path);
        }
        assertTrue(deploy.contains("docker compose -f docker/compose.yaml"), "Deploy says how to start the compose file");
    }

    private static Set<String> variables(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
