package dev.vigil;

import dev.vigil.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The bearer token of Vigil's HTTP APIs (the people API, the image engine's trigger), from
 * {@code vigil.api.token} (env VIGIL_API_TOKEN) or the file named by {@code vigil.api.token-file}
 * (VIGIL_API_TOKEN_FILE). Compared in constant time: both sides are hashed to
 * SHA-256 first, so neither the content nor the length of the token shows in the timing.
 * <p>
 * The one access check of every API ({@link #authorise}): the bearer token, or a web console session (the
 * {@link Sessions} bean {@code webSessions}, signed in with this token or the household password) whose
 * state-changing requests carry the session's CSRF token.
 */
public final class ApiToken {

    public static final int MIN_LENGTH = 16;

    private final byte[] expected;

    private ApiToken(String token) {
        this.expected = token == null ? null : sha256(token);
    }

    /** The token of a disabled API: accepts nothing. */
    public static ApiToken none() {
        return new ApiToken(null);
    }

    /**
     * The token the settings ask for: needed when the API is on (vigil.api.enabled, which the web console turns
     * on) or the image engine's trigger (vigil.image.trigger.enabled); {@link #none()} otherwise.
     *
     * @throws ConfigException naming the key when one of them is on without a usable token
     */
    public static ApiToken of(dev.vigil.config.Settings settings) {
        String enabledBy = settings.flag("vigil.api.enabled") ? "vigil.api.enabled"
                : settings.flag("vigil.image.trigger.enabled") ? "vigil.image.trigger.enabled" : null;
        return enabledBy == null ? none()
                : from(settings.text("vigil.api.token"), settings.text("vigil.api.token-file"), enabledBy);
    }

    /** @throws ConfigException naming the key when the API is enabled without a usable token */
    public static ApiToken from(String token, String tokenFile) {
        return from(token, tokenFile, "vigil.api.enabled");
    }

    /**
     * @param enabledBy the setting that turned on the endpoint needing the token (named in the error)
     * @throws ConfigException naming the key when the endpoint is enabled without a usable token
     */
    public static ApiToken from(String token, String tokenFile, String enabledBy) {
        String value = token == null ? "" : token.trim();
        if (value.isEmpty() && tokenFile != null && !tokenFile.isBlank()) {
            try {
                value = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new ConfigException("vigil.api.token-file: cannot read " + tokenFile + " (" + e.getMessage()
                        + "); point VIGIL_API_TOKEN_FILE at a readable file holding the API token");
            }
        }
        if (value.length() < MIN_LENGTH) {
            throw new ConfigException("vigil.api.token: " + enabledBy + "=true needs the API token, but it "
                    + (value.isEmpty() ? "has no token" : "its token is shorter than " + MIN_LENGTH + " characters")
                    + "; set VIGIL_API_TOKEN or VIGIL_API_TOKEN_FILE to a random secret of 16+ characters"
                    + " (e.g. openssl rand -hex 32), or set " + enabledBy + "=false");
        }
        return new ApiToken(value);
    }

    /** What a request presents: the bearer token, a console session (with its CSRF token where needed), or nothing. */
    public enum Access { BEARER, SESSION, SESSION_WITHOUT_CSRF, NONE }

    /** The web console's sessions, looked up as bean {@value #SESSIONS_BEAN} when a request has no bearer token. */
    public interface Sessions {
        Access check(Exchange exchange);
    }

    public static final String SESSIONS_BEAN = "webSessions";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** True for methods that change nothing (no CSRF token needed). */
    public static boolean safe(String method) {
        return method == null || SAFE_METHODS.contains(method.toUpperCase(java.util.Locale.ROOT));
    }

    /** The bearer token, else a console session (and its CSRF token on POST/PUT/PATCH/DELETE), else NONE. */
    public Access check(Exchange exchange) {
        if (accepts(exchange.getMessage().getHeader("Authorization", String.class))) {
            return Access.BEARER;
        }
        Sessions sessions = exchange.getContext().getRegistry().lookupByNameAndType(SESSIONS_BEAN, Sessions.class);
        return expected == null || sessions == null ? Access.NONE : sessions.check(exchange);
    }

    /**
     * The API routes' first step: 401 without the bearer token or a console session, 403 for a console
     * session's state-changing request without its CSRF token.
     */
    public void authorise(Exchange exchange) {
        switch (check(exchange)) {
            case BEARER, SESSION -> { }
            case SESSION_WITHOUT_CSRF -> throw new dev.vigil.faces.Refused(403, "missing or wrong CSRF token: a console"
                    + " request that changes something sends its session's token in the X-CSRF-Token header");
            default -> {
                String header = exchange.getMessage().getHeader("Authorization", String.class);
                throw new dev.vigil.faces.Refused(401, header == null
                        ? "missing bearer token: send Authorization: Bearer <token>, or sign in to the console"
                        : "invalid bearer token");
            }
        }
    }

    /** @param authorization the request's Authorization header */
    public boolean accepts(String authorization) {
        if (expected == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(authorization.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
