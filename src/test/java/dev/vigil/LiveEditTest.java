package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.ConfigException;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.live.LiveVersions;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Streams;
import dev.vigil.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live edits: a saved route file reloads its routes, a saved household file applies without a restart; a
 * broken edit of either is refused with the start-up message and the running version keeps working.
 */
class LiveEditTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final String SECRET = "test-secret-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void aRouteFileEditIsLiveAndABrokenOneIsRefused() throws Exception {
        Path routes = Fixtures.copyOfRoutes(dir);
        Path api = routes.resolve("54-api-mode.camel.yaml");
        String original = Files.readString(api);
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.routes.dir", routes.toString(),
                "vigil.api.enabled", "true", "vigil.api.token", TOKEN))) {
            assertEquals(null, getMode(vigil).headers().firstValue("X-Vigil-Edited").orElse(null));
            Files.writeString(api, withEditedHeader(original, "one"));
            Streams.await(Duration.ofSeconds(20), () -> "one".equals(edited(vigil)), "the edited route live");
            String live = "vigil_live_version{file=\"routes/54-api-mode.camel.yaml\",version=\""
                    + LiveVersions.version(Files.readAllBytes(api)) + "\"} 1.0";
            assertTrue(metrics(vigil).contains(live), "the metric names the version in force");

            Files.writeString(api, original.replace("method: get", "method: get\n        - noSuchStep: {}"));
            Streams.await(Duration.ofSeconds(20), () -> metrics(vigil).contains(refused(1)), "the broken edit refused");
            assertEquals("one", edited(vigil), "a broken edit is refused: the running version stays");
            assertEquals(200, getMode(vigil).statusCode());

            Files.writeString(api, original.replace("ref: modeApi", "ref: noSuchBean"));
            Streams.await(Duration.ofSeconds(20), () -> metrics(vigil).contains(refused(2)), "the second broken edit refused");
            assertEquals("one", edited(vigil), "an edit naming a bean that does not exist is refused too");
            assertEquals(200, getMode(vigil).statusCode());
            assertTrue(metrics(vigil).contains(live), "the version in force is still the first edit");
            assertTrue(metrics(vigil).contains(refused(2)), metrics(vigil).lines().filter(l -> l.startsWith("vigil_live"))
                    .toList().toString());
        }
    }

    /** The metric line counting refused edits of the mode API's route file. */
    private static String refused(int times) {
        return "vigil_live_refused_total{file=\"routes/54-api-mode.camel.yaml\"} " + times + ".0";
    }

    @Test
    void anEditThatLeavesNoDecisionRouteIsRefusedAndTheDecisionRouteStays() throws Exception {
        Path routes = Fixtures.copyOfRoutes(dir);
        Path decide = routes.resolve("20-decide.camel.yaml");
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.routes.dir", routes.toString(),
                "vigil.api.enabled", "true", "vigil.api.token", TOKEN))) {
            Files.writeString(decide, Files.readString(decide).replace("uri: direct:record", "uri: direct:records"));
            Streams.await(Duration.ofSeconds(20), () -> metrics(vigil).contains(
                    "vigil_live_refused_total{file=\"routes/20-decide.camel.yaml\"} 1.0"), "the edit refused");
            assertEquals("direct://record", vigil.main().getCamelContext().getRoute("decide").getEndpoint()
                    .getEndpointUri(), "the running decision route stays");

            String kept = Files.readString(decide).replace("uri: direct:records", "uri: direct:record") + "# edited\n";
            Files.writeString(decide, kept);
            String live = "vigil_live_version{file=\"routes/20-decide.camel.yaml\",version=\""
                    + LiveVersions.version(kept.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"} 1.0";
            Streams.await(Duration.ofSeconds(20), () -> metrics(vigil).contains(live), "an edit that keeps it live");
        }
    }

    @Test
    void routesInADirectoryReachedThroughASymbolicLinkLoadAndAreLive() throws Exception {
        Path routes = Files.createSymbolicLink(dir.resolve("linked-routes"), Fixtures.copyOfRoutes(dir));
        try (RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.routes.dir", routes.toString(),
                "vigil.api.enabled", "true", "vigil.api.token", TOKEN))) {
            assertTrue(vigil.main().getCamelContext().getRoute("decide") != null, "the linked directory's routes load");
            Path api = routes.resolve("54-api-mode.camel.yaml");
            Files.writeString(api, withEditedHeader(Files.readString(api), "linked"));
            Streams.await(Duration.ofSeconds(20), () -> "linked".equals(edited(vigil)), "an edit through the link live");
        }
    }

    /** routes/54-api-mode.camel.yaml with GET /api/mode answering header X-Vigil-Edited: {@code value}. */
    static String withEditedHeader(String route, String value) {
        return route.replace("""
                        - bean:
                            ref: modeApi
                            method: get
                """, """
                        - bean:
                            ref: modeApi
                            method: get
                        - setHeader:
                            name: X-Vigil-Edited
                            constant: "%s"
                """.formatted(value));
    }

    static final String HOUSEHOLD = """
            cameras:
              - {id: %s, name: Camera, kvsStream: face_recognition}
            policy:
              thresholds: {maxYaw: 80}
              visit: {minFrames: %d}
              modes:
                home: {unknown_face: %s}
            """;

    @Test
    void aHouseholdEditAppliesWithoutARestartAndABrokenOneIsRefused() throws Exception {
        Path household = Fixtures.write(dir.resolve("household.yaml"), HOUSEHOLD.formatted("lab", 2, "warning"));
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dir.resolve("data"), Map.of("vigil.config", household.toString(),
                     "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET,
                     "vigil.live.household-check-ms", "200"))) {
            Fixtures.realUnknownPair().forEach(r -> vigil.record(r, "pair"));
            assertEquals("lab warning", cameraAndSeverity(receiver, 0));

            String edit = HOUSEHOLD.formatted("garage", 2, "critical");
            Files.writeString(household, edit);
            Streams.await(Duration.ofSeconds(20), () -> metrics(vigil).contains("version=\"" + LiveVersions.version(edit)),
                    "the edit live");
            Fixtures.realUnknownPair().forEach(r -> vigil.record(r, "pair"));
            assertEquals("garage critical", cameraAndSeverity(receiver, 1), "the edited policy and camera decide");

            String broken = HOUSEHOLD.formatted("shed", 0, "critical");
            Files.writeString(household, broken);
            String expected = assertThrows(ConfigException.class, () -> HouseholdLoader.load(household.toString())).getMessage();
            assertTrue(expected.contains("policy.visit.minFrames"), expected);
            Streams.await(Duration.ofSeconds(20), () -> metrics(vigil).contains("vigil_live_refused_total{file=\"household household.yaml\"} 1.0"),
                    "the broken edit refused");
            assertTrue(metrics(vigil).contains("version=\"" + LiveVersions.version(edit)), "the previous version stays live");
            Fixtures.realUnknownPair().forEach(r -> vigil.record(r, "pair"));
            Thread.sleep(500);
            assertEquals(2, receiver.requests().size(), "no alert from the refused version (camera shed)");
        }
    }

    static String cameraAndSeverity(WebhookReceiver receiver, int i) {
        var alert = receiver.requests().get(i).json();
        return alert.at("/camera/id").asText() + " " + alert.get("severity").asText();
    }

    static String metrics(RunningVigil vigil) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(vigil.httpUrl() + "/observe/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    String edited(RunningVigil vigil) {
        try {
            return getMode(vigil).headers().firstValue("X-Vigil-Edited").orElse(null);
        } catch (Exception e) {
            return "error " + e;
        }
    }

    HttpResponse<String> getMode(RunningVigil vigil) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(vigil.httpUrl() + "/api/mode"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }
}
