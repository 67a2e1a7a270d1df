package dev.vigil.teach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.ApiGate;
import dev.vigil.faces.Refused;
import org.apache.camel.Exchange;

/**
 * POST /api/alerts/{id}/teach and /not with {"person": "..."} (routes/53-api-teach.camel.yaml): 201 when done,
 * 200 when it was done before (a repeated or concurrent request changes nothing). Errors are Refused:
 * 400 bad body or a person the household does not allow, 404 unknown alert, 409 taught as someone else,
 * 422 no usable face.
 */
public class TeachApi {

    private static final String BODY = "VigilJsonBody";

    private final Teaching teaching;
    private final ObjectMapper json;

    public TeachApi(Teaching teaching, ObjectMapper json) {
        this.teaching = teaching;
        this.json = json;
    }

    public void teach(Exchange exchange) throws Exception {
        var taught = teaching().teach(alertId(exchange), person(exchange), requestedBy(exchange));
        ApiGate.respond(exchange, json, taught.alreadyTaught() ? 200 : 201, taught);
    }

    public void notAMatch(Exchange exchange) throws Exception {
        var marked = teaching().notAMatch(alertId(exchange), person(exchange), requestedBy(exchange));
        ApiGate.respond(exchange, json, marked.alreadyMarked() ? 200 : 201, marked);
    }

    private Teaching teaching() {
        if (teaching == null) {
            throw new Refused(503, "teaching needs the alert history, which is off (vigil.history.enabled=false)");
        }
        return teaching;
    }

    private static String alertId(Exchange exchange) {
        return exchange.getMessage().getHeader("id", String.class);
    }

    /** The "person" of a JSON body {"person": "..."}. */
    String person(Exchange exchange) {
        return field(exchange, json, "person", true);
    }

    static String field(Exchange exchange, ObjectMapper json, String name, boolean required) {
        JsonNode node = exchange.getProperty(BODY, JsonNode.class);
        if (node == null) {
            byte[] body = exchange.getMessage().getBody(byte[].class);
            try {
                node = body == null || body.length == 0 ? null : json.readTree(body);
            } catch (java.io.IOException e) {
                throw new Refused(400, "the body is not JSON; send {\"" + name + "\": \"...\"}");
            }
            if (node == null || !node.isObject()) {
                throw new Refused(400, "send a JSON object {\"" + name + "\": \"...\"}");
            }
            exchange.setProperty(BODY, node); // the body stream is read once
        }
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new Refused(400, "\"" + name + "\" is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new Refused(400, "\"" + name + "\" must be a string");
        }
        return value.asText();
    }

    static String requestedBy(Exchange exchange) {
        Object remote = exchange.getMessage().getHeader("CamelVertxPlatformHttpRemoteAddress");
        return "api " + (remote == null ? "unknown" : remote.toString());
    }
}
