package dev.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook receiver on 127.0.0.1 for the benchmarks: answers 200 to every POST and counts the alerts by
 * their X-Vigil-Alert-Id (how many times each arrived, and when the last request came). Runs on one thread, whose
 * CPU time the benchmark can subtract.
 */
final class AlertReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());
    private volatile long threadId = -1;

    AlertReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            threadId = Thread.currentThread().getId();
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            String id = exchange.getRequestHeaders().getFirst("X-Vigil-Alert-Id");
            long now = System.nanoTime();
            if (id != null) {
                arrivals.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
            lastNanos.set(now);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-alert-receiver")));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }

    Set<String> alertIds() {
        return Set.copyOf(arrivals.keySet());
    }

    /** Requests received beyond the first of each alert id. */
    int duplicates() {
        return arrivals.values().stream().mapToInt(a -> a.get() - 1).sum();
    }

    long lastArrivalNanos() {
        return lastNanos.get();
    }

    /** The thread that handles requests (-1 before the first), for CPU accounting. */
    long threadId() {
        return threadId;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
