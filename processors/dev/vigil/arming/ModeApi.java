package dev.vigil.arming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.Policy;
import dev.vigil.faces.Refused;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The mode API behind routes/51-api-mode.camel.yaml (bean {@code modeApi}): {@code GET /api/mode} answers the
 * mode in force and why; {@code PUT /api/mode} with {@code {"mode": "away"}} sets it by hand (reason manual).
 */
public class ModeApi {

    private final Arming arming;
    private final ObjectMapper json;

    public ModeApi(Arming arming, ObjectMapper json) {
        this.arming = arming;
        this.json = json;
    }

    public void get(Exchange exchange) throws Exception {
        respond(exchange, 200, arming.state());
    }

    public void put(Exchange exchange) throws Exception {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        JsonNode request;
        try {
            request = json.readTree(body == null ? new byte[0] : body);
        } catch (Exception e) {
            throw new Refused(400, "send JSON like {\"mode\": \"away\"}");
        }
        JsonNode mode = request == null ? null : request.get("mode");
        Policy.Mode parsed = mode == null || !mode.isTextual() ? null : parse(mode.asText());
        if (parsed == null) {
            throw new Refused(400, "mode: use one of home, away, night, as {\"mode\": \"away\"}");
        }
        respond(exchange, 200, arming.set(parsed, ModeState.Reason.MANUAL, "api"));
    }

    /** A mode name (home, away, night; any case), or null. */
    public static Policy.Mode parse(String text) {
        for (Policy.Mode m : Policy.Mode.values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        return null;
    }

    /** The state as the API and MQTT show it: {"mode", "reason", "since", "detail"}. */
    public static Map<String, Object> view(ModeState s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("mode", s.modeName());
        v.put("reason", s.reason().name().toLowerCase(Locale.ROOT));
        v.put("since", s.since().toString());
        v.put("detail", s.detail());
        return v;
    }

    private void respond(Exchange exchange, int status, ModeState state) throws Exception {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(json.writeValueAsBytes(view(state)));
    }
}
