package dev.vigil.arming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Json;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mode API (routes/51-api-mode.camel.yaml) over real HTTP: authenticated like every API, the mode it sets
 * is the one the next alert is decided in, and it survives a restart.
 */
class ModeApiTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final String SECRET = "test-secret-0123456789abcdef";
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aModeSetByTheApiDecidesTheNextUnknownAlertAndSurvivesARestart() throws Exception {
        Path data = dir.resolve("data");
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            try (RunningVigil vigil = vigil(data, receiver)) {
                JsonNode mode = json(send(vigil, "GET", null, TOKEN), 200);
                assertEquals("home", mode.get("mode").asText());
                assertEquals("default", mode.get("reason").asText());

                JsonNode set = json(send(vigil, "PUT", "{\"mode\":\"away\"}", TOKEN), 200);
                assertEquals("away", set.get("mode").asText());
                assertEquals("manual", set.get("reason").asText());
                assertEquals("api", set.get("detail").asText());

                Fixtures.realUnknownPair().forEach(r -> vigil.record(r, "pair"));
                assertEquals("critical", receiver.requests().get(0).json().get("severity").asText(),
                        "an unknown face while away is critical (it is a warning at home)");
            }
            try (RunningVigil again = vigil(data, receiver)) {
                JsonNode mode = json(send(again, "GET", null, TOKEN), 200);
                assertEquals("away", mode.get("mode").asText(), "the mode is kept across a restart");
                assertEquals("manual", mode.get("reason").asText());
            }
        }
    }

    @Test
    void withoutTheTokenOrWithABadModeNothingChanges() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = vigil(dir.resolve("data"), receiver)) {
            assertEquals(401, send(vigil, "GET", null, null).statusCode());
            assertEquals(401, send(vigil, "PUT", "{\"mode\":\"away\"}", "wrong-token-0123456789abcdef").statusCode());
            for (String bad : List.of("{\"mode\":\"holiday\"}", "{\"mode\":1}", "away", "{}")) {
                HttpResponse<String> response = send(vigil, "PUT", bad, TOKEN);
                assertEquals(400, response.statusCode(), bad);
                assertFalse(response.body().contains(TOKEN));
            }
            assertEquals("home", json(send(vigil, "GET", null, TOKEN), 200).get("mode").asText());
        }
    }

    private RunningVigil vigil(Path data, WebhookReceiver receiver) throws Exception {
        return new RunningVigil(data, Map.of("vigil.api.enabled", "true", "vigil.api.token", TOKEN,
                "vigil.config", Fixtures.profileFriendlyHousehold(dir).toString(),
                "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET));
    }

    private HttpResponse<String> send(RunningVigil vigil, String method, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(vigil.httpUrl() + "/api/mode"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return Json.mapper().readTree(response.body());
    }
}
