package dev.vigil;

import org.apache.camel.Exchange;

/**
 * The one authentication check of Vigil's HTTP APIs (bean {@code apiAuth}): every API route calls
 * {@link #authorise} first. The bearer token ({@link ApiToken}, constant-time), or a web console session
 * whose state-changing requests carry its CSRF token ({@link ApiToken#check}); else 401 (403 for a session's
 * request without the CSRF token).
 */
public class ApiAuth {

    private final ApiToken token;

    public ApiAuth(ApiToken token) {
        this.token = token;
    }

    /** Whether the request may use the API. */
    public boolean accepts(Exchange exchange) {
        ApiToken.Access access = token.check(exchange);
        return access == ApiToken.Access.BEARER || access == ApiToken.Access.SESSION;
    }

    /** @throws dev.vigil.faces.Refused 401 or 403 unless {@link #accepts} (the routes' error handling answers it) */
    public void authorise(Exchange exchange) {
        token.authorise(exchange);
    }
}
