package dev.vigil.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Headers;
import dev.vigil.model.Alert;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox (vigil.outbox.enabled): a bounded, durable buffer per channel between the deliver route and the
 * channel's gate. {@link #store} writes each alert a channel takes to {@code <data dir>/outbox/<channel>/<alert
 * id>.json} (temp file, fsync, atomic move) before it is queued to the channel's own SEDA queue
 * ({@link #queue}); {@link #send} hands it to the gate and deletes the file once the gate has delivered or
 * dead-lettered the alert (an alert waiting for a retry keeps its file until then, see {@link Deliveries}). At start-up {@link #recover} queues what a crash left behind, and {@link #store}
 * waits until it has, so those alerts go out before new ones. The gauge vigil_outbox_size{channel} counts the files waiting per channel.
 *
 * <p>Over 250 lines on purpose: writing, queueing, crash recovery and deletion of one channel's files share
 * the same per-channel counters and must agree on when a file may go.
 */
public class Outbox {

    /** Exchange property: the outbox file of the alert being delivered. */
    public static final String FILE = "VigilOutboxFile";

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Path root;
    private final ObjectMapper json;
    private final int capacity;
    private final long offerTimeoutMs;
    private final Map<String, AtomicInteger> sizes = new LinkedHashMap<>();
    private final CountDownLatch recovered = new CountDownLatch(1);
    private ProducerTemplate template;

    public Outbox(Path dataDir, ObjectMapper json, MeterRegistry metrics, List<String> channels, int capacity,
                  long offerTimeoutMs) {
        this.root = dataDir.resolve("outbox");
        this.json = json;
        this.capacity = capacity;
        this.offerTimeoutMs = offerTimeoutMs;
        for (String channel : channels) {
            AtomicInteger size = new AtomicInteger(pending(channel).size());
            sizes.put(channel, size);
            Gauge.builder("vigil.outbox.size", size, AtomicInteger::get).tag("channel", channel)
                    .description("alerts in the channel's outbox, not yet delivered or dead-lettered").register(metrics);
        }
    }


    /** Every buffered channel. */
    public List<String> channels() {
        return List.copyOf(sizes.keySet());
    }

    /**
     * The channel's queue: one consumer, so the channel sends in order as before; when full, the producer (the
     * deliver route, so ingestion) waits for room, as long as it takes (offer timeout 0) or at most the offer
     * timeout, then fails (the alert's file stays in the outbox, sent after the next start).
     */
    public String queue(String channel) {
        return "seda:outbox-" + channel + "?size=" + capacity + "&blockWhenFull=true&offerTimeout=" + offerTimeoutMs
                + "&waitForTaskToComplete=Never&concurrentConsumers=1";
    }

    /** Alerts of this channel on disk, not yet delivered or dead-lettered. */
    public int size(String channel) {
        AtomicInteger size = sizes.get(channel);
        return size == null ? 0 : size.get();
    }

    /** Writes the exchange's alert to the outbox of its channel (exchange property VigilChannel), durably. */
    public void store(Exchange exchange) throws InterruptedException, org.apache.camel.InvalidPayloadException {
        recovered.await(); // what a crash left goes first
        String channel = exchange.getProperty(Headers.CHANNEL, String.class);
        Alert alert = exchange.getMessage().getMandatoryBody(Alert.class);
        Path dir = root.resolve(channel);
        Path file = dir.resolve(fileName(alert.id()));
        ObjectNode entry = json.createObjectNode();
        entry.put("channel", channel);
        entry.put("source", exchange.getProperty(Headers.SOURCE_REF, String.class));
        Instant arrived = exchange.getProperty(Headers.ARRIVED_AT, Instant.class);
        entry.put("arrivedAt", arrived == null ? null : arrived.toString());
        entry.set("alert", json.valueToTree(alert));
        try {
            if (!DurableFiles.write(file, json.writeValueAsBytes(entry))) {
                sizes.get(channel).incrementAndGet();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the outbox " + dir, e);
        }
        exchange.setProperty(FILE, file.toString());
    }

    /** The endpoint of the channel's gate behind its outbox. */
    public static String gate(String channel) {
        return "direct:gate-" + channel;
    }

    /**
     * Hands a queued alert to its channel's gate (a copy of the exchange, so the gate's own error handling
     * cannot stop this step); once the gate has delivered or dead-lettered it, its outbox file goes. A failure
     * the gate did not handle (the dead-letter store failing) leaves the file, to be sent after the next start.
     */
    public void send(Exchange exchange) {
        String channel = exchange.getProperty(Headers.CHANNEL, String.class);
        Exchange result = template(exchange.getContext()).send(gate(channel), exchange.copy());
        if (result.getException() != null) {
            throw new IllegalStateException("outbox: alert " + exchange.getMessage().getBody(Alert.class).id() + " of "
                    + channel + " failed; it stays in the outbox until the next start", result.getException());
        }
        String file = exchange.getProperty(FILE, String.class);
        if (file != null && result.getProperty(Deliveries.PENDING) == null) {
            done(channel, Path.of(file));
        } // a pending alert waits in the channel's retry lane, which calls done() once it is delivered or dead-lettered
    }

    /** The alert of this outbox file was delivered or dead-lettered: the file goes. */
    public void done(String channel, Path file) {
        try {
            if (Files.deleteIfExists(file)) {
                sizes.get(channel).decrementAndGet();
            }
        } catch (IOException e) {
            LOG.warn("outbox: cannot delete {} ({}); its alert may be sent again after a restart", file, e.toString());
        }
    }

    private synchronized ProducerTemplate template(CamelContext context) {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    /**
     * Queues every alert left in the outbox (by a crash, or a shutdown that could not drain it) to its channel,
     * oldest first, then lets new alerts in. Runs once the routes have started.
     */
    public void recover(CamelContext context) {
        int count = 0;
        try (ProducerTemplate template = context.createProducerTemplate()) {
            for (String channel : sizes.keySet()) {
                for (Path file : pending(channel)) {
                    JsonNode entry;
                    Alert alert;
                    Instant arrivedAt;
                    try {
                        entry = json.readTree(file.toFile());
                        alert = json.treeToValue(entry.get("alert"), Alert.class);
                        arrivedAt = entry.hasNonNull("arrivedAt") ? Instant.parse(entry.get("arrivedAt").asText()) : null;
                    } catch (IOException | RuntimeException unreadable) {
                        // one damaged file must not hold back the others: kept aside, never deleted
                        Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
                        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                        LOG.warn("outbox: {} is not a readable outbox entry ({}); kept as {}", file,
                                unreadable.getClass().getSimpleName(), aside.getFileName());
                        continue;
                    }
                    template.send(queue(channel), e -> {
                        e.getMessage().setBody(alert);
                        e.setProperty(Headers.CHANNEL, channel);
                        e.setProperty(FILE, file.toString());
                        e.setProperty(Headers.SOURCE_REF, entry.path("source").asText(null));
                        if (arrivedAt != null) {
                            e.setProperty(Headers.ARRIVED_AT, arrivedAt);
                        }
                    });
                    count++;
                }
            }
            if (count > 0) {
                LOG.info("outbox: {} alert(s) left by the previous run queued to their channels", count);
            }
        } catch (IOException e) {
            LOG.error("outbox: cannot read what the previous run left in {} (it stays there): {}", root, e.toString());
        } finally {
            recovered.countDown();
        }
    }

    /** The channel's outbox files, oldest first; half-written temp files of a crash are removed. */
    List<Path> pending(String channel) {
        Path dir = root.resolve(channel);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            for (Path p : all) {
                if (p.getFileName().toString().endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
            return all.stream().filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing(Outbox::modified).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the outbox " + dir, e);
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    static String fileName(String alertId) {
        return alertId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }
}
