package dev.vigil.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's sign-in, sessions and the API check over real HTTP (routes/5x-console*, ApiGate): what the
 * browser tests rely on, asserted on status codes and headers.
 */
class ConsoleSecurityTest {

    static final String TOKEN = "console-token-0123456789abcdef";
    static final String PASSWORD = "correct horse battery";
    static final String SECRET = "test-secret-0123456789abcdef";
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void noRequestWithoutASessionOrTokenReachesAnyApi() throws Exception {
        try (RunningVigil vigil = vigil(Map.of())) {
            List<String[]> apis = apiEndpoints(vigil);
            List<String> served = apis.stream().map(a -> a[0] + " " + a[1]).toList();
            for (String expected : List.of("GET /api/people", "DELETE /api/people/{id}", "PUT /api/mode",
                    "GET /api/status", "POST /api/channels/{name}/redeliver")) {
                assertTrue(served.contains(expected), expected + " is among the APIs checked: " + served);
            }
            for (String[] api : apis) {
                String path = api[1].replaceAll("\\{[^}]+}", "x");
                HttpResponse<String> response = send(vigil, api[0], path, "{}", Map.of());
                assertEquals(401, response.statusCode(), api[0] + " " + path + " without credentials: " + response.body());
                HttpResponse<String> forged = send(vigil, api[0], path, "{}",
                        Map.of("Cookie", WebSessions.COOKIE + "=forged", "X-CSRF-Token", "forged"));
                assertEquals(401, forged.statusCode(), api[0] + " " + path + " with a made-up session");
            }
        }
    }

    @Test
    void aSessionOpensTheApisAndAStateChangeWithoutItsCsrfTokenIsRefused() throws Exception {
        try (RunningVigil vigil = vigil(Map.of())) {
            Session s = signIn(vigil, TOKEN, Map.of());
            assertEquals("token", s.via);
            assertTrue(s.cookieHeader.contains("HttpOnly") && s.cookieHeader.contains("SameSite=Strict"), s.cookieHeader);
            assertFalse(s.cookieHeader.contains("Secure"), "plain HTTP on loopback: no Secure flag");

            assertEquals(200, send(vigil, "GET", "/api/mode", null, s.cookie()).statusCode());
            HttpResponse<String> noCsrf = send(vigil, "PUT", "/api/mode", "{\"mode\":\"away\"}", s.cookie());
            assertEquals(403, noCsrf.statusCode(), noCsrf.body());
            assertTrue(noCsrf.body().contains("CSRF"), noCsrf.body());
            Map<String, String> wrongCsrf = new HashMap<>(s.cookie());
            wrongCsrf.put("X-CSRF-Token", "not-the-token");
            assertEquals(403, send(vigil, "PUT", "/api/mode", "{\"mode\":\"away\"}", wrongCsrf).statusCode());
            Map<String, String> otherSite = new HashMap<>(s.withCsrf());
            otherSite.put("Origin", "http://evil.example");
            assertEquals(403, send(vigil, "PUT", "/api/mode", "{\"mode\":\"away\"}", otherSite).statusCode(),
                    "a request another site's page makes is refused even with the token");
            assertEquals("home", json(send(vigil, "GET", "/api/mode", null, s.cookie())).get("mode").asText(),
                    "nothing changed");

            HttpResponse<String> put = send(vigil, "PUT", "/api/mode", "{\"mode\":\"away\"}", s.withCsrf());
            assertEquals(200, put.statusCode(), put.body());
            assertEquals("away", json(send(vigil, "GET", "/api/mode", null, s.cookie())).get("mode").asText());

            assertEquals(403, send(vigil, "DELETE", "/console/session", null, s.cookie()).statusCode(),
                    "signing out needs the CSRF token too");
            HttpResponse<String> out = send(vigil, "DELETE", "/console/session", null, s.withCsrf());
            assertEquals(200, out.statusCode(), out.body());
            assertTrue(out.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"));
            assertEquals(401, send(vigil, "GET", "/api/mode", null, s.cookie()).statusCode(), "signed out: refused");
        }
    }

    @Test
    void theHouseholdPasswordSignsInFromItsHashAndWrongSecretsAreRateLimited() throws Exception {
        try (RunningVigil vigil = vigil(Map.of("vigil.web.password-hash", PasswordHash.hash(PASSWORD),
                "vigil.web.sign-in-attempts", "3"))) {
            Map<String, String> tls = Map.of("X-Forwarded-Proto", "https");
            Session s = signIn(vigil, PASSWORD, tls);
            assertEquals("password", s.via);
            assertTrue(s.cookieHeader.contains("; Secure"), "behind a TLS proxy the cookie is Secure: " + s.cookieHeader);
            for (int i = 0; i < 3; i++) {
                assertEquals(401, send(vigil, "POST", "/console/session", "{\"secret\":\"guess-" + i + "\"}", Map.of())
                        .statusCode());
            }
            HttpResponse<String> limited = send(vigil, "POST", "/console/session",
                    "{\"secret\":\"" + PASSWORD + "\"}", Map.of());
            assertEquals(429, limited.statusCode(), "past the limit even the right password waits: " + limited.body());
            assertEquals("60", limited.headers().firstValue("Retry-After").orElse(""));
        }
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicyAndServeOnlyTheConsolesOwnFiles() throws Exception {
        try (RunningVigil vigil = vigil(Map.of())) {
            for (String page : List.of("/", "/alerts/0b9a1c2d-3e4f-5061-7283-94a5b6c7d8e9", "/people", "/mode", "/status")) {
                HttpResponse<String> response = send(vigil, "GET", page, null, Map.of());
                assertEquals(200, response.statusCode(), page);
                String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
                assertFalse(csp.contains("unsafe-inline"), csp);
                assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
                assertFalse(response.body().contains("<script>"), "no inline script in " + page);
                assertFalse(response.body().contains("http://") || response.body().contains("https://"),
                        "every asset comes from Vigil: " + page);
            }
            assertEquals(200, send(vigil, "GET", "/assets/app.js", null, Map.of()).statusCode());
            assertEquals(404, send(vigil, "GET", "/assets/..%2Fconfig%2Fapplication.properties", null, Map.of()).statusCode());
            assertEquals(404, send(vigil, "GET", "/assets/index.html", null, Map.of()).statusCode());
        }
    }

    @Test
    void alertsLinkToTheirConsolePageWhenAPublicUrlIsSet() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = vigil(Map.of("vigil.web.public-url", "https://vigil.home.example/",
                     "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET))) {
            Fixtures.realUnknownPair().forEach(r -> vigil.record(r, "pair"));
            JsonNode alert = receiver.requests().get(0).json();
            assertEquals("https://vigil.home.example/alerts/" + alert.get("id").asText(),
                    alert.path("links").path("console").asText());
        }
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = vigil(Map.of("vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET))) {
            Fixtures.realUnknownPair().forEach(r -> vigil.record(r, "pair"));
            assertTrue(receiver.requests().get(0).json().path("links").isMissingNode(), "no public URL: no links");
        }
    }

    // ---- helpers ----

    private record Session(String id, String csrf, String via, String cookieHeader) {
        Map<String, String> cookie() {
            return Map.of("Cookie", WebSessions.COOKIE + "=" + id);
        }

        Map<String, String> withCsrf() {
            return Map.of("Cookie", WebSessions.COOKIE + "=" + id, "X-CSRF-Token", csrf);
        }
    }

    private Session signIn(RunningVigil vigil, String secret, Map<String, String> headers) throws Exception {
        HttpResponse<String> response = send(vigil, "POST", "/console/session",
                Json.mapper().writeValueAsString(Map.of("secret", secret)), headers);
        assertEquals(200, response.statusCode(), response.body());
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        String id = WebSessions.cookie(cookie.split(";")[0]);
        assertNotNull(id);
        JsonNode body = Json.mapper().readTree(response.body());
        return new Session(id, body.get("csrf").asText(), body.get("via").asText(), cookie);
    }

    /** Every API path the running context serves over HTTP (started routes, REST DSL included), with its methods. */
    private static List<String[]> apiEndpoints(RunningVigil vigil) {
        List<String[]> apis = new ArrayList<>();
        var context = vigil.main().getCamelContext();
        for (org.apache.camel.Route route : context.getRoutes()) {
            Endpoint e = route.getEndpoint();
            if (!context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                continue;
            }
            if (e instanceof org.apache.camel.component.rest.RestEndpoint r) {
                String path = r.getPath() + (r.getUriTemplate() == null ? "" : "/" + r.getUriTemplate());
                apis.add(new String[] {r.getMethod().toUpperCase(java.util.Locale.ROOT), path.replace("//", "/")});
            } else if (e instanceof PlatformHttpEndpoint p && p.getPath().startsWith("/api/")) {
                String methods = p.getHttpMethodRestrict() == null ? "GET" : p.getHttpMethodRestrict();
                for (String m : methods.split(",")) {
                    apis.add(new String[] {m.trim(), p.getPath()});
                }
            }
        }
        return apis;
    }

    private RunningVigil vigil(Map<String, String> more) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("vigil.web.enabled", "true", "vigil.api.token", TOKEN,
                "vigil.config", Fixtures.profileFriendlyHousehold(dir).toString()));
        all.putAll(more);
        return new RunningVigil(dir.resolve("data"), all);
    }

    private HttpResponse<String> send(RunningVigil vigil, String method, String path, String body,
                                      Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(vigil.httpUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return Json.mapper().readTree(response.body());
    }
}
