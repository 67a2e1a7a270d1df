package dev.vigil.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Headers;
import dev.vigil.Json;
import dev.vigil.VigilRuntime;
import dev.vigil.model.Alert;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * {@code vigil redeliver CHANNEL}: re-sends the dead-lettered alerts of one channel (webhook name or
 * {@code sns}) through its sending route, unchanged, so receivers de-duplicate on the same alert ids; each is
 * retried for vigil.delivery.replay-window (2 min) from its first try.
 * A letter that goes through is removed; one that fails again is dead-lettered anew with today's reason.
 * Sources stay off: a running instance is not disturbed.
 */
public final class Redeliver {

    private Redeliver() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        if (args.size() != 1) {
            throw new IllegalArgumentException("redeliver needs one channel name: a webhook name or sns");
        }
        String channel = args.get(0);
        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.kinesis.enabled", "false",
                "vigil.http.enabled", "false", "vigil.outbox.enabled", "false"));
        VigilRuntime.start(main);
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            CamelContext context = main.getCamelContext();
            Path dir = Path.of(context.getPropertiesComponent().resolveProperty("vigil.data.dir").orElse("./data"))
                    .resolve("dead-letters");
            Result result = resend(context, template, dir, channel);
            out.printf("redelivered %d of %d dead-lettered alerts of channel %s%s%n", result.sent(), result.letters(),
                    channel, result.sent() < result.letters() ? "; the others failed again and are back in "
                            + dir.resolve("alert-" + channel) : "");
            return result.sent() == result.letters() ? 0 : 3;
        } finally {
            main.stop();
        }
    }

    /** How many dead letters there were, and how many went through this time. */
    public record Result(String channel, int letters, int sent) {
    }

    /**
     * Re-sends the dead letters of one channel through its sending route in this context (the CLI's own, or a
     * running instance's for the console's "redeliver" button).
     *
     * @param deadLetters the dead-letter root ({@code <vigil.data.dir>/dead-letters})
     */
    public static Result resend(CamelContext context, ProducerTemplate template, Path deadLetters, String channel)
            throws Exception {
        if (context.getRoute(ChannelDirectory.sendRouteId(channel)) == null) {
            throw new IllegalArgumentException("redeliver: no channel named " + channel + " is configured");
        }
        Deliveries deliveries = context.getRegistry().lookupByNameAndType("deliveries", Deliveries.class);
        List<Path> letters = letters(deadLetters.resolve("alert-" + channel));
        ObjectMapper json = Json.mapper();
        int sent = 0;
        for (Path letter : letters) {
            JsonNode node = json.readTree(letter.toFile());
            Alert alert = json.treeToValue(node.get("payload"), Alert.class);
            Files.delete(letter); // a failure writes a fresh dead letter
            Exchange exchange = org.apache.camel.builder.ExchangeBuilder.anExchange(context).withBody(alert)
                    .withProperty(Headers.SOURCE_REF, node.path("source").asText(null))
                    .withProperty(Headers.CHANNEL, channel).build();
            deliveries.deliver(exchange); // retried for vigil.delivery.replay-window from its first try
            sent += exchange.getProperty(Headers.DEAD_LETTERED) == null && exchange.getException() == null ? 1 : 0;
        }
        return new Result(channel, letters.size(), sent);
    }

    /** The number of dead-lettered alerts of a channel waiting for redelivery. */
    public static int waiting(Path deadLetters, String channel) throws Exception {
        return letters(deadLetters.resolve("alert-" + channel)).size();
    }

    private static List<Path> letters(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }
}
