package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP webhook receiver on 127.0.0.1, verifying every X-Vigil-Signature the way the README tells
 * receivers to. Answers with the queued status codes (then 200), or never answers when told to hang.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received, with when it arrived (System.nanoTime()). */
    public record Request(Map<String, String> headers, byte[] body, boolean signatureValid, long at) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final HttpServer server;
    private final String secret;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private volatile int defaultStatus = 200;
    private volatile boolean hang;
    private volatile long delayMs;
    private volatile int answerFirstPromptly;
    private volatile String retryAfter;
    private volatile boolean down;
    private volatile double failRate;
    private volatile double lostRate;
    private java.util.Random random = new java.util.Random(0);
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger lostAnswers = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> lostIds = new CopyOnWriteArrayList<>();

    public WebhookReceiver(String secret) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Answer the next requests with these statuses, then with 200. */
    public WebhookReceiver respond(int... codes) {
        for (int c : codes) {
            statuses.add(c);
        }
        return this;
    }

    /** Send this Retry-After header with every non-2xx answer. */
    public WebhookReceiver retryAfter(String value) {
        retryAfter = value;
        return this;
    }

    public WebhookReceiver alwaysRespond(int code) {
        defaultStatus = code;
        return this;
    }

    /** Answer the first {@code prompt} requests at once, every later one only after {@code ms}. */
    public WebhookReceiver slowAfter(int prompt, long ms) {
        answerFirstPromptly = prompt;
        delayMs = ms;
        return this;
    }

    /** Accept connections and requests but never answer (until {@link #recover()}). */
    public WebhookReceiver hang() {
        hang = true;
        return this;
    }

    /** Unreachable: every request's connection is closed without an answer (until {@link #up()}). */
    public WebhookReceiver down() {
        down = true;
        return this;
    }

    public WebhookReceiver up() {
        down = false;
        return this;
    }

    /**
     * Answer a random {@code failRate} of requests with 500; of those, a {@code lostRate} share was processed
     * (the alert counts as accepted) and only the answer failed, as when a receiver crashes after its commit.
     */
    public WebhookReceiver flaky(double failRate, double lostRate, long seed) {
        this.random = new java.util.Random(seed);
        this.lostRate = lostRate;
        this.failRate = failRate;
        return this;
    }

    /** The alert id of every request the receiver processed (answered 2xx, or processed with its answer lost), in order. */
    public List<String> accepted() {
        return new ArrayList<>(accepted);
    }

    /** Requests processed whose answer was a 500 anyway (flaky mode): each may be delivered again. */
    public int lostAnswers() {
        return lostAnswers.get();
    }

    /** The alert id of each request processed whose answer was lost anyway (flaky mode), in order. */
    public List<String> lostIds() {
        return new ArrayList<>(lostIds);
    }

    /** Answer again. */
    public WebhookReceiver recover() {
        hang = false;
        return this;
    }

    /** The X-Vigil-Alert-Id of every request received, sorted, once each. */
    public java.util.SortedSet<String> alertIds() {
        return requests().stream().map(r -> r.headers().get("X-Vigil-Alert-Id"))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        requests.add(new Request(headers, body, verify(headers.get("X-Vigil-Signature"), body), System.nanoTime()));
        boolean prompt = requests.size() <= answerFirstPromptly;
        if (down) {
            exchange.close(); // no status line: the client sees the connection end (an I/O error)
            return;
        }
        if (failRate > 0) {
            int status = 200;
            synchronized (this) {
                if (random.nextDouble() < failRate) {
                    status = 500;
                    if (random.nextDouble() < lostRate) {
                        accepted.add(headers.get("X-Vigil-Alert-Id"));
                        lostAnswers.incrementAndGet();
                        lostIds.add(headers.get("X-Vigil-Alert-Id"));
                    }
                } else {
                    accepted.add(headers.get("X-Vigil-Alert-Id"));
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        if (hang) {
            try {
                for (int i = 0; i < 300 && hang; i++) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (delayMs > 0 && !prompt) {
            try {
                TimeUnit.MILLISECONDS.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Integer next = statuses.poll();
        int status = next != null ? next : defaultStatus;
        if (retryAfter != null && status >= 300) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        if (status < 300) {
            accepted.add(headers.get("X-Vigil-Alert-Id"));
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** The receiver side of the signature scheme, as documented in README.md. */
    boolean verify(String header, byte[] body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            boolean fresh = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) <= 300;
            return fresh && MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
