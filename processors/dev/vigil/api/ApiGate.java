package dev.vigil.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ApiToken;
import dev.vigil.faces.Refused;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one door of Vigil's HTTP APIs (routes/50-api.camel.yaml): the authentication check every API route
 * passes first (its interceptFrom), and the JSON answers of refused and failed requests (its onException).
 * Bearer token: {@link ApiToken}, vigil.api.token / VIGIL_API_TOKEN or VIGIL_API_TOKEN_FILE, or a web console
 * session (docs/console.md) with its CSRF token on POST/PUT/DELETE.
 */
public class ApiGate {

    private static final Logger LOG = LoggerFactory.getLogger(ApiGate.class);

    private final ApiToken token;
    private final ObjectMapper json;

    public ApiGate(ApiToken token, ObjectMapper json) {
        this.token = token;
        this.json = json;
    }

    /**
     * 401 unless the request carries the bearer token or a web console session; 403 for a session's
     * state-changing request without its CSRF token ({@link ApiToken#authorise}).
     */
    public void authorise(Exchange exchange) {
        token.authorise(exchange);
    }

    /** The answer to a {@link Refused} request: its status and {"error": ..., details...}. */
    public void refused(Exchange exchange) throws Exception {
        Refused refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Refused.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", refused.getMessage());
        body.putAll(refused.details());
        boolean tokenSent = exchange.getMessage().getHeader("Authorization") != null;
        respond(exchange, refused.status(), body);
        if (refused.status() == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"vigil\""
                    + (tokenSent ? ", error=\"invalid_token\"" : ""));
        }
    }

    /** A failure talking to AWS (502) or of Vigil itself (500), in plain words; details go to the log. */
    public void failed(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof AwsServiceException aws) {
            String service = aws.awsErrorDetails().serviceName();
            LOG.warn("API: {} failed: {} {}", service, aws.awsErrorDetails().errorCode(), aws.getMessage());
            respond(exchange, 502, Map.of("error", service + " refused the request: "
                    + aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage()));
        } else if (e instanceof SdkException sdk) {
            LOG.warn("API: cannot reach AWS: {}", sdk.getMessage());
            respond(exchange, 502, Map.of("error", "cannot reach AWS: " + sdk.getMessage()));
        } else {
            LOG.warn("API request failed", e);
            respond(exchange, 500, Map.of("error", "internal error: " + e.getClass().getSimpleName()
                    + " (see Vigil's log)"));
        }
    }

    /** A JSON answer; nothing of the request (Authorization, path, query) goes back. */
    public static void respond(Exchange exchange, ObjectMapper json, int status, Object body) throws Exception {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(json.writeValueAsBytes(body));
    }

    private void respond(Exchange exchange, int status, Object body) throws Exception {
        respond(exchange, json, status, body);
    }
}
