package dev.vigil.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.Household;
import dev.vigil.deliver.ChannelBreakers;
import dev.vigil.deliver.Redeliver;
import dev.vigil.engine.CostMeter;
import dev.vigil.faces.Refused;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;

/**
 * The console's Health page (routes/57-console-status.camel.yaml): {@code GET /api/status} reports the
 * sources (ingest routes and whether they run), every channel's circuit and dead letters, the image
 * engine's Rekognition calls and estimated cost today against the budgets, and the quiet hours; {@code POST
 * /api/channels/{name}/redeliver} re-sends a channel's dead letters, as {@code vigil redeliver} does.
 */
public class ConsoleStatus {

    private static final Map<String, String> SOURCES = Map.of("ingestSample", "sample day",
            "ingestJsonLines", "JSON lines", "ingestKinesis", "Kinesis results streams",
            "ingestProcessors", "stream processors", "ingestImageEngine", "image engine");

    private final Household household;
    private final Path deadLetters;
    private final ObjectMapper json;

    public ConsoleStatus(Household household, Path deadLetters, ObjectMapper json) {
        this.household = household;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    public void status(Exchange exchange) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sources", sources(exchange));
        body.put("channels", channels(breakers(exchange)));
        CostMeter costs = exchange.getContext().getRegistry().lookupByNameAndType("imageCosts", CostMeter.class);
        body.put("rekognition", costs == null ? Map.of() : rekognition(costs));
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("timeZone", household.policy().timeZone().getId());
        policy.put("quietHours", household.policy().quietHours());
        body.put("policy", policy);
        ConsoleHttp.json(exchange, json, 200, body);
    }

    /** POST /api/channels/{name}/redeliver: 200 {"channel", "letters", "sent"}; 404 for no such channel. */
    public void redeliver(Exchange exchange) throws Exception {
        String channel = exchange.getMessage().getHeader("name", "", String.class);
        if (!breakers(exchange).channels().contains(channel)) {
            throw new Refused(404, "no channel named " + channel + " is configured");
        }
        try (ProducerTemplate template = exchange.getContext().createProducerTemplate()) {
            ConsoleHttp.json(exchange, json, 200, Redeliver.resend(exchange.getContext(), template, deadLetters, channel));
        }
    }

    private List<Map<String, Object>> sources(Exchange exchange) {
        List<Map<String, Object>> sources = new ArrayList<>();
        for (Map.Entry<String, String> s : new java.util.TreeMap<>(SOURCES).entrySet()) {
            Route route = exchange.getContext().getRoute(s.getKey());
            if (route != null) {
                String status = exchange.getContext().getRouteController().getRouteStatus(s.getKey()).name();
                sources.add(Map.of("id", s.getKey(), "name", s.getValue(), "status", status.toLowerCase()));
            }
        }
        return sources;
    }

    private static ChannelBreakers breakers(Exchange exchange) {
        return exchange.getContext().getRegistry().lookupByNameAndType("channelBreakers", ChannelBreakers.class);
    }

    private List<Map<String, Object>> channels(ChannelBreakers breakers) throws Exception {
        List<Map<String, Object>> channels = new ArrayList<>();
        Map<String, Instant> open = breakers.openSince();
        for (String name : breakers.channels()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name);
            c.put("circuit", breakers.state(name).name().toLowerCase());
            c.put("openSince", open.get(name));
            c.put("deadLetters", Redeliver.waiting(deadLetters, name));
            channels.add(c);
        }
        return channels;
    }

    private Map<String, Object> rekognition(CostMeter costs) {
        List<Map<String, Object>> cameras = new ArrayList<>();
        double spent = 0;
        for (Household.Camera camera : household.cameras()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("camera", camera.id());
            c.put("engine", camera.engine().name().toLowerCase());
            Map<String, Integer> calls = new LinkedHashMap<>();
            for (CostMeter.Api api : CostMeter.Api.values()) {
                calls.put(api.operation(), costs.callsToday(camera.id(), api));
            }
            c.put("callsToday", calls);
            c.put("spentTodayUsd", costs.spentToday(camera.id()));
            c.put("budgetUsd", costs.budgetOf(camera.id()));
            spent += costs.spentToday(camera.id());
            cameras.add(c);
        }
        return Map.of("cameras", cameras, "spentTodayUsd", spent,
                "householdBudgetUsd", costs.budget().householdDailyUsd());
    }
}
