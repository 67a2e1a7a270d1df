package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxy in front of moto that gives Kinesis shard iterators a lifetime, as real Kinesis does (5 minutes;
 * moto's never expire): a GetRecords with an iterator older than {@code lifetime} is answered the way
 * Kinesis answers it, HTTP 400 {@code {"__type":"ExpiredIteratorException",...}}. Everything else passes
 * through unchanged. With a lifetime of seconds, a test shows in seconds what a 5-minute stall does.
 */
public final class ExpiringIteratorProxy implements AutoCloseable {

    private final HttpServer server;
    private final URI target;
    private final Duration lifetime;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Long> issued = new ConcurrentHashMap<>();
    private final AtomicInteger expired = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();

    public ExpiringIteratorProxy(String targetEndpoint, Duration lifetime) throws IOException {
        this.target = URI.create(targetEndpoint);
        this.lifetime = lifetime;
        server = ThrottlingProxy.listen(this::handle);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many GetRecords calls were refused as expired. */
    public int expiredCount() {
        return expired.get();
    }

    private void handle(HttpExchange in) throws IOException {
        try (in) {
            byte[] body = in.getRequestBody().readAllBytes();
            String op = in.getRequestHeaders().getFirst("X-Amz-Target");
            if ("Kinesis_20131202.GetRecords".equals(op)) {
                Long at = issued.get(json.readTree(body).path("ShardIterator").asText());
                if (at != null && System.nanoTime() - at > lifetime.toNanos()) {
                    expired.incrementAndGet();
                    reply(in, 400, "{\"__type\":\"ExpiredIteratorException\",\"message\":\"Iterator expired. The "
                            + "iterator was created at time " + at + " while right now it is " + System.nanoTime()
                            + " which is further in the future than the tolerated delay of " + lifetime.toMillis()
                            + " milliseconds.\"}");
                    return;
                }
            }
            HttpResponse<byte[]> response = ThrottlingProxy.forward(client, target, in, body);
            if ("Kinesis_20131202.GetShardIterator".equals(op) || "Kinesis_20131202.GetRecords".equals(op)) {
                remember(response.body());
            }
            ThrottlingProxy.answer(in, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void remember(byte[] responseBody) {
        try {
            JsonNode node = json.readTree(responseBody);
            for (String field : new String[] {"ShardIterator", "NextShardIterator"}) {
                if (node.hasNonNull(field)) {
                    issued.put(node.get(field).asText(), System.nanoTime());
                }
            }
        } catch (IOException notJson) {
            // an error response: nothing issued
        }
    }

    private static void reply(HttpExchange in, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        in.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        in.sendResponseHeaders(status, bytes.length);
        in.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        ThrottlingProxy.stop(server);
    }
}
