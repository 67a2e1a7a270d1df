package dev.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ApiToken;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Sign-in, session and sign-out of the web console (routes/56-console-session.camel.yaml). The API token or
 * the household password opens a session; wrong ones are counted per client address and past
 * {@code vigil.web.sign-in-attempts} a minute answered 429 without being checked.
 */
public class SignIn {

    private final ApiToken token;
    private final PasswordHash password;
    private final WebSessions sessions;
    private final RateLimiterRegistry failures;
    private final ObjectMapper json;

    /** @param password the household password's hash, or null when only the token signs in */
    public SignIn(ApiToken token, PasswordHash password, WebSessions sessions, RateLimiterRegistry failures,
                  ObjectMapper json) {
        this.token = token;
        this.password = password;
        this.sessions = sessions;
        this.failures = failures;
        this.json = json;
    }

    /** POST /console/session {"secret": "..."}: 200 with the CSRF token and the session cookie, 401, or 429. */
    public void signIn(Exchange exchange) throws Exception {
        RateLimiter limiter = failures.rateLimiter(client(exchange));
        if (limiter.getMetrics().getAvailablePermissions() <= 0) {
            ConsoleHttp.json(exchange, json, 429, Map.of("error", "too many wrong sign-ins from this address;"
                    + " wait a minute and try again"));
            exchange.getMessage().setHeader("Retry-After", "60");
            return;
        }
        String secret = secret(exchange.getMessage());
        String via = secret.isEmpty() ? null : token.accepts("Bearer " + secret) ? "token"
                : password != null && password.matches(secret) ? "password" : null;
        if (via == null) {
            limiter.acquirePermission();
            ConsoleHttp.json(exchange, json, 401, Map.of("error", "wrong token or password"));
            return;
        }
        String id = sessions.open(via);
        String cookie = sessions.cookieFor(id, exchange);
        WebSessions.Session session = sessions.find(withCookie(exchange, id));
        ConsoleHttp.json(exchange, json, 200, Map.of("signedIn", true, "csrf", session.csrf(), "via", via));
        exchange.getMessage().setHeader("Set-Cookie", cookie);
    }

    /** GET /console/session: the signed-in browser's CSRF token, or {"signedIn": false} (200: a page's first question). */
    public void session(Exchange exchange) throws Exception {
        WebSessions.Session session = sessions.find(exchange);
        if (session == null) {
            ConsoleHttp.json(exchange, json, 200, Map.of("signedIn", false));
        } else {
            ConsoleHttp.json(exchange, json, 200, Map.of("signedIn", true, "csrf", session.csrf(), "via", session.via()));
        }
    }

    /** DELETE /console/session (with the CSRF token): ends the session and clears the cookie. */
    public void signOut(Exchange exchange) throws Exception {
        ApiToken.Access access = sessions.check(exchange);
        if (access != ApiToken.Access.SESSION) {
            ConsoleHttp.json(exchange, json, access == ApiToken.Access.NONE ? 401 : 403, Map.of("error",
                    access == ApiToken.Access.NONE ? "not signed in" : "missing or wrong CSRF token (X-CSRF-Token)"));
            return;
        }
        sessions.close(exchange);
        String cookie = sessions.expiredCookie(exchange);
        ConsoleHttp.json(exchange, json, 200, Map.of("signedOut", true));
        exchange.getMessage().setHeader("Set-Cookie", cookie);
    }

    private String secret(Message in) throws Exception {
        String body = in.getBody(String.class);
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode node = json.readTree(body);
            return node.path("secret").asText("").trim();
        } catch (Exception e) {
            return "";
        }
    }

    private static Exchange withCookie(Exchange exchange, String id) {
        exchange.getMessage().setHeader("Cookie", WebSessions.COOKIE + "=" + id);
        return exchange;
    }

    /** The client's address without its port (behind a proxy, the proxy's). */
    static String client(Exchange exchange) {
        Object remote = exchange.getMessage().getHeader("CamelVertxPlatformHttpRemoteAddress");
        String text = remote == null ? "unknown" : remote.toString();
        int colon = text.lastIndexOf(':');
        return colon > 0 && text.indexOf(':') == colon ? text.substring(0, colon) : text;
    }
}
