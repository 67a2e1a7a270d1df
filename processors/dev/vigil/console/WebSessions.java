package dev.vigil.console;

import dev.vigil.ApiToken;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The web console's sessions, in memory (a restart signs everyone out): a random id in an HttpOnly,
 * SameSite=Strict cookie (Secure behind TLS), and per session a CSRF token that every state-changing
 * request sends back in the {@value #CSRF_HEADER} header. A session ends after {@code idle} without a request.
 */
public class WebSessions implements ApiToken.Sessions {

    public static final String COOKIE = "vigil_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final int MAX_SESSIONS = 1000;

    /** One signed-in browser: its CSRF token, how it signed in (token or password), when it was last used. */
    public static final class Session {
        final String csrf;
        final String via;
        volatile Instant lastSeen;

        Session(String csrf, String via, Instant now) {
            this.csrf = csrf;
            this.via = via;
            this.lastSeen = now;
        }

        public String csrf() {
            return csrf;
        }

        public String via() {
            return via;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration idle;
    private final String secureCookies;
    private final Clock clock;

    /** @param secureCookies {@code auto} (Secure when X-Forwarded-Proto is https), {@code true} or {@code false} */
    public WebSessions(Duration idle, String secureCookies, Clock clock) {
        this.idle = idle;
        this.secureCookies = secureCookies;
        this.clock = clock;
    }

    /** Starts a session; returns its id (the cookie's value). */
    public String open(String via) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        if (sessions.size() >= MAX_SESSIONS) { // bounded: the least recently used session goes
            sessions.entrySet().stream().min(Map.Entry.comparingByValue(
                    java.util.Comparator.comparing((Session s) -> s.lastSeen))).ifPresent(e -> sessions.remove(e.getKey()));
        }
        String id = randomToken();
        sessions.put(id, new Session(randomToken(), via, now));
        return id;
    }

    /** The request's live session, or null. */
    public Session find(Exchange exchange) {
        String id = cookie(exchange.getMessage().getHeader("Cookie", String.class));
        Session s = id == null ? null : sessions.get(id);
        Instant now = clock.instant();
        if (s == null || expired(s, now)) {
            return null;
        }
        s.lastSeen = now;
        return s;
    }

    /** Ends the request's session (sign-out). */
    public void close(Exchange exchange) {
        String id = cookie(exchange.getMessage().getHeader("Cookie", String.class));
        if (id != null) {
            sessions.remove(id);
        }
    }

    @Override
    public ApiToken.Access check(Exchange exchange) {
        Session s = find(exchange);
        if (s == null) {
            return ApiToken.Access.NONE;
        }
        Message in = exchange.getMessage();
        if (ApiToken.safe(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            return ApiToken.Access.SESSION;
        }
        String sent = in.getHeader(CSRF_HEADER, String.class);
        boolean ok = sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                s.csrf.getBytes(StandardCharsets.UTF_8)) && sameOrigin(in);
        return ok ? ApiToken.Access.SESSION : ApiToken.Access.SESSION_WITHOUT_CSRF;
    }

    /** The Set-Cookie value of a new session. */
    public String cookieFor(String id, Exchange exchange) {
        return COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + idle.toSeconds()
                + (secure(exchange) ? "; Secure" : "");
    }

    /** The Set-Cookie value that removes the session cookie. */
    public String expiredCookie(Exchange exchange) {
        return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secure(exchange) ? "; Secure" : "");
    }

    private boolean secure(Exchange exchange) {
        return switch (secureCookies) {
            case "true" -> true;
            case "false" -> false;
            default -> "https".equalsIgnoreCase(exchange.getMessage().getHeader("X-Forwarded-Proto", "", String.class));
        };
    }

    /** A browser's state-changing request names its origin: it must be this server (defence in depth with SameSite). */
    private static boolean sameOrigin(Message in) {
        String origin = in.getHeader("Origin", String.class);
        String host = in.getHeader("X-Forwarded-Host", in.getHeader("Host", String.class), String.class);
        if (origin == null) {
            return true; // not a browser's cross-site request: the CSRF token alone decides
        }
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    private boolean expired(Session s, Instant now) {
        return s.lastSeen.plus(idle).isBefore(now);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }
}
