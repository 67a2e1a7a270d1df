package dev.vigil.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The headers every console response carries, and its JSON answers. */
public final class ConsoleHttp {

    /** No inline script or style, nothing from other origins, never framed. */
    public static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    private ConsoleHttp() {
    }

    /** Replaces the response headers with the security headers (nothing of the request goes back). */
    public static void secure(Message out) {
        out.removeHeaders("*");
        out.setHeader("Content-Security-Policy", CSP);
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("X-Frame-Options", "DENY");
        out.setHeader("Referrer-Policy", "same-origin");
        out.setHeader("Cache-Control", "no-store");
    }

    public static void json(Exchange exchange, ObjectMapper json, int status, Object body) throws Exception {
        Message out = exchange.getMessage();
        secure(out);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(json.writeValueAsBytes(body));
    }
}
