package dev.vigil;

import dev.vigil.faces.Refused;
import org.apache.camel.Exchange;

/**
 * The one authentication check of Vigil's HTTP APIs (bean {@code apiAuth}): every API route calls
 * {@link #authorise} first. Today: the bearer token ({@link ApiToken}, constant-time); 401 without it.
 */
public class ApiAuth {

    private final ApiToken token;

    public ApiAuth(ApiToken token) {
        this.token = token;
    }

    /** Whether the request may use the API. */
    public boolean accepts(Exchange exchange) {
        return token.accepts(exchange.getMessage().getHeader("Authorization", String.class));
    }

    /** @throws Refused 401 unless {@link #accepts} (the routes' error handling answers it) */
    public void authorise(Exchange exchange) {
        if (!accepts(exchange)) {
            throw new Refused(401, exchange.getMessage().getHeader("Authorization") == null
                    ? "missing bearer token: send Authorization: Bearer <token>" : "invalid bearer token");
        }
    }
}
