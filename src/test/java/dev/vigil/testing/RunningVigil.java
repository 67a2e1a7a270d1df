package dev.vigil.testing;

import dev.vigil.Headers;
import dev.vigil.VigilRuntime;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Vigil started in-process exactly as the CLI starts it (real YAML routes from routes/, real properties),
 * with only the edges pointed at test servers and a temporary data directory.
 */
public final class RunningVigil implements AutoCloseable {

    private final Main main;
    private final ProducerTemplate template;

    public RunningVigil(Path dataDir, Map<String, String> overrides) throws Exception {
        this(dataDir, overrides, m -> { });
    }

    /** Lets a test bind beans (e.g. a health check) before the context starts, as VigilConfiguration does. */
    public RunningVigil(Path dataDir, Map<String, String> overrides, java.util.function.Consumer<Main> beforeStart)
            throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("vigil.sample.enabled", "false", "vigil.console.enabled", "false", "vigil.web.enabled", "false",
                "vigil.data.dir", dataDir.toString(), "vigil.http.host", "127.0.0.1",
                "vigil.http.port", Integer.toString(Moto.freePort()))); // tests run in parallel JVMs: never 8080
        all.putAll(overrides);
        if (!all.containsKey("vigil.aws.endpoints.rekognition") && !all.containsKey("vigil.aws.endpoint")) {
            // no Rekognition fake: the strangers' search would try AWS itself (docs/teaching.md)
            all.putIfAbsent("vigil.strangers.enabled", "false");
        }
        main = VigilRuntime.create(all);
        beforeStart.accept(main);
        VigilRuntime.start(main); // a failed start stopped, its history closed
        template = main.getCamelContext().createProducerTemplate();
    }

    /** Sends one raw record into the decision routes, as any source does; returns when it is fully handled. */
    public void record(String payload, String sourceRef) {
        template.send("direct:record", exchange -> {
            exchange.getMessage().setBody(payload);
            exchange.setProperty(Headers.SOURCE_REF, sourceRef);
        });
    }

    /** Sends every record of the bundled sample day, in order. */
    public void sampleDay() {
        List<String> lines = Fixtures.lines(Fixtures.SCENARIO);
        for (int i = 0; i < lines.size(); i++) {
            record(lines.get(i), "sample#" + i);
        }
    }

    /** A record as a live source (Kinesis) hands it over: with its arrival time. */
    public void liveRecord(String payload, String sourceRef) {
        template.send("direct:record", exchange -> {
            exchange.getMessage().setBody(payload);
            exchange.setProperty(Headers.SOURCE_REF, sourceRef);
            exchange.setProperty(Headers.ARRIVED_AT, java.time.Instant.now());
        });
    }

    /** Hands an alert straight to the channels, as the decision route does. */
    public void deliver(Object alert) {
        template.sendBody("direct:deliver", alert);
    }

    /** Hands an alert to the channels as a live source (Kinesis) would: with its record's arrival time. */
    public void deliverLive(Object alert) {
        template.send("direct:deliver", exchange -> {
            exchange.getMessage().setBody(alert);
            exchange.setProperty(Headers.ARRIVED_AT, java.time.Instant.now());
        });
    }

    /** The observability server (health, metrics, API routes), when vigil.http.enabled. */
    public String httpUrl() {
        PropertiesComponent props = main.getCamelContext().getPropertiesComponent();
        return "http://127.0.0.1:" + props.resolveProperty("vigil.http.port").orElseThrow();
    }

    public Main main() {
        return main;
    }

    @Override
    public void close() throws Exception {
        template.close();
        main.stop();
    }
}
