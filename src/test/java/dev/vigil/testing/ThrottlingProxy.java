package dev.vigil.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting proxy on 127.0.0.1 in front of moto for the AWS JSON protocols (Kinesis, DynamoDB): the
 * first N requests of a chosen {@code X-Amz-Target} (optionally only those whose body names a table or stream)
 * are answered as the service answers a throttled request, HTTP 400 with
 * {@code {"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded for shard ..."}} and the
 * {@code x-amzn-ErrorType} header; every other request is forwarded unchanged. Counts what it refused.
 */
public final class ThrottlingProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    /** The first {@code times} requests of {@code target} whose body contains {@code bodyContains} are refused. */
    private record Rule(String target, String bodyContains, int times, String type, String message, AtomicInteger refused) {
        boolean refuses(String op, String body) {
            if (!target.equals(op) || !body.contains(bodyContains)) {
                return false;
            }
            int n = refused.incrementAndGet();
            if (n > times) {
                refused.decrementAndGet();
                return false;
            }
            return true;
        }
    }

    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> forwarded = new ConcurrentHashMap<>();

    public ThrottlingProxy(String targetEndpoint) throws IOException {
        this.target = URI.create(targetEndpoint);
        server = listen(this::handle);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A server on 127.0.0.1 and a free port, every request to {@code handler} on its own thread. */
    static HttpServer listen(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", handler);
        server.start();
        return server;
    }

    static void stop(HttpServer server) {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /**
     * The first {@code times} requests with this {@code X-Amz-Target} (e.g. {@code Kinesis_20131202.GetRecords})
     * whose body contains {@code bodyContains} ("" for any) get the error {@code type} (e.g.
     * {@code ProvisionedThroughputExceededException}) with this message.
     */
    public ThrottlingProxy throttle(String target, String bodyContains, int times, String type, String message) {
        rules.add(new Rule(target, bodyContains, times, type, message, new AtomicInteger()));
        return this;
    }

    /** Requests refused so far with this X-Amz-Target. */
    public int refused(String target) {
        return rules.stream().filter(r -> r.target().equals(target)).mapToInt(r -> r.refused().get()).sum();
    }

    /** Requests refused so far, all rules. */
    public int refused() {
        return rules.stream().mapToInt(r -> r.refused().get()).sum();
    }

    /** Requests with this X-Amz-Target that reached the emulator. */
    public int forwarded(String target) {
        AtomicInteger n = forwarded.get(target);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange in) throws IOException {
        try (in) {
            byte[] body = in.getRequestBody().readAllBytes();
            String op = String.valueOf(in.getRequestHeaders().getFirst("X-Amz-Target"));
            String text = new String(body, StandardCharsets.UTF_8);
            for (Rule rule : rules) {
                if (rule.refuses(op, text)) {
                    reply(in, rule);
                    return;
                }
            }
            forwarded.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            answer(in, forward(client, target, in, body));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the request (its method, path, headers and body) on to the target; the target's answer. */
    static HttpResponse<byte[]> forward(HttpClient client, URI target, HttpExchange in, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder out = HttpRequest.newBuilder(target.resolve(in.getRequestURI().toString()))
                .method(in.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        in.getRequestHeaders().forEach((k, v) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                v.forEach(value -> out.header(k, value));
            }
        });
        return client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Passes the target's answer back unchanged. */
    static void answer(HttpExchange in, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((k, v) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase()) && !k.startsWith(":")) {
                in.getResponseHeaders().put(k, v);
            }
        });
        in.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
        in.getResponseBody().write(response.body());
    }

    /** The AWS JSON protocol's error: 400, the type in __type and x-amzn-ErrorType, the JSON version of the request. */
    private static void reply(HttpExchange in, Rule rule) throws IOException {
        String contentType = String.valueOf(in.getRequestHeaders().getFirst("Content-Type"));
        byte[] bytes = ("{\"__type\":\"" + rule.type() + "\",\"message\":\"" + rule.message() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        in.getResponseHeaders().add("Content-Type", contentType.startsWith("application/x-amz-json")
                ? contentType : "application/x-amz-json-1.1");
        // the header carries the bare name (DynamoDB's __type has a namespace before '#', which the SDK strips)
        in.getResponseHeaders().add("x-amzn-ErrorType", rule.type().substring(rule.type().lastIndexOf('#') + 1));
        in.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        in.sendResponseHeaders(400, bytes.length);
        in.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        stop(server);
    }
}
