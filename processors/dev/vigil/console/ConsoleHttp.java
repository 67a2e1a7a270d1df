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
        headers(out);
    }

    /** A JSON answer of the API's shape ({@link dev.vigil.api.ApiGate#respond}) with the security headers. */
    public static void json(Exchange exchange, ObjectMapper json, int status, Object body) throws Exception {
        dev.vigil.api.ApiGate.respond(exchange, json, status, body);
        headers(exchange.getMessage());
    }

    private static void headers(Message out) {
        out.setHeader("Content-Security-Policy", CSP);
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("X-Frame-Options", "DENY");
        out.setHeader("Referrer-Policy", "same-origin");
        out.setHeader("Cache-Control", "no-store");
    }
}
