package dev.vigil.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.ApiGate;
import dev.vigil.config.DurationText;
import dev.vigil.faces.Refused;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The history API behind routes/52-api-history.camel.yaml: list with filters and cursor paging, one alert
 * with its visit and per-channel outcomes, its face crop and snapshot JPEGs. Authentication and error
 * answers: {@link ApiGate}. Bad filters are 400 with a JSON error naming the parameter.
 */
public class HistoryApi {

    private final HistoryStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final int defaultLimit;
    private final int maxLimit;

    /** @param store null when the history is off (vigil.history.enabled=false): every request is 404 */
    public HistoryApi(HistoryStore store, ObjectMapper json, Clock clock, int defaultLimit, int maxLimit) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
    }

    /** GET /api/alerts?camera&person&type&severity&since&until&cursor&limit: newest first. */
    public void list(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        AlertQuery q = new AlertQuery(text(in, "camera"), text(in, "person"), type(in), severity(in),
                time(in, "since"), time(in, "until"), text(in, "cursor"), limit(in));
        Page page;
        try {
            page = store().query(q);
        } catch (IllegalArgumentException badCursor) {
            throw new Refused(400, badCursor.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alerts", page.items().stream().map(this::withLinks).toList());
        body.put("count", page.items().size());
        body.put("next", page.next());
        ApiGate.respond(exchange, json, 200, body);
    }

    /** GET /api/alerts/{id}: the record with its visit, deliveries and marks; 404 when unknown. */
    public void get(Exchange exchange) throws Exception {
        ApiGate.respond(exchange, json, 200, withLinks(find(exchange)));
    }

    public void face(Exchange exchange) {
        image(exchange, ImageKind.FACE);
    }

    public void snapshot(Exchange exchange) {
        image(exchange, ImageKind.SNAPSHOT);
    }

    private void image(Exchange exchange, ImageKind kind) {
        AlertRecord r = find(exchange);
        byte[] jpeg = store().image(r.id(), kind).orElseThrow(() -> new Refused(404, "alert " + r.id() + " has no "
                + kind.file() + " image (none was fetched, or retention removed it)"));
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, "image/jpeg");
        out.setHeader("Cache-Control", "private, no-store");
        out.setBody(jpeg);
    }

    private AlertRecord find(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        return store().get(id == null ? "" : id).orElseThrow(() -> new Refused(404, "no alert with id " + id
                + " in the history (unknown, or past retention.alerts)"));
    }

    private HistoryStore store() {
        if (store == null) {
            throw new Refused(404, "the alert history is off (vigil.history.enabled=false)");
        }
        return store;
    }

    private ObjectNode withLinks(AlertRecord r) {
        ObjectNode node = json.valueToTree(r);
        ObjectNode links = node.putObject("links");
        links.put("self", "/api/alerts/" + r.id());
        if (r.face()) {
            links.put("face", "/api/alerts/" + r.id() + "/face.jpg");
        }
        if (r.snapshot()) {
            links.put("snapshot", "/api/alerts/" + r.id() + "/snapshot.jpg");
        }
        return node;
    }

    private static String text(Message in, String name) {
        String v = in.getHeader(name, String.class);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.length() > 256) {
            throw new Refused(400, name + ": longer than 256 characters");
        }
        return v.trim();
    }

    private static String type(Message in) {
        String v = text(in, "type");
        try {
            return v == null ? null : AlertType.fromWire(v).wire();
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "type: \"" + v + "\" is not an alert type; use one of " + Arrays.stream(
                    AlertType.values()).map(AlertType::wire).collect(Collectors.joining(", ")), Map.of("parameter", "type"));
        }
    }

    private static String severity(Message in) {
        String v = text(in, "severity");
        try {
            return v == null ? null : Severity.fromWire(v).wire();
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "severity: \"" + v + "\" is not a severity; use one of info, warning, critical",
                    Map.of("parameter", "severity"));
        }
    }

    /** An ISO-8601 instant (2026-11-20T08:00:00Z), or an age (24h, 7d): that long before now. */
    private Instant time(Message in, String name) {
        String v = text(in, name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return clock.instant().minus(DurationText.parse(v));
            } catch (RuntimeException notAnAge) {
                throw new Refused(400, name + ": \"" + v + "\" is neither a time (2026-11-20T08:00:00Z) nor an age"
                        + " (30m, 24h, 7d)", Map.of("parameter", name));
            }
        }
    }

    private int limit(Message in) {
        String v = text(in, "limit");
        if (v == null) {
            return defaultLimit;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new Refused(400, "limit: \"" + v + "\" is not a number", Map.of("parameter", "limit"));
        }
        if (n < 1 || n > maxLimit) {
            throw new Refused(400, "limit: " + n + " is out of range; ask for 1 to " + maxLimit
                    + " alerts a page and follow \"next\" for more", Map.of("parameter", "limit", "max", maxLimit));
        }
        return n;
    }
}
