package dev.vigil.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The HEALTHCHECK command against a real HTTP server on 127.0.0.1: 2xx is healthy, anything else is not. */
class HealthProbeTest {

    @Test
    void twoHundredIsHealthyAndAnythingElseIsNot() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/observe/health/ready", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        server.createContext("/observe/health/live", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertEquals(0, HealthProbe.check(URI.create(base + "/observe/health/live")));
            assertEquals(1, HealthProbe.check(URI.create(base + HealthProbe.READY)));
            assertEquals(1, HealthProbe.check(URI.create(base + "/nothing-here")));
        } finally {
            server.stop(0);
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertEquals(1, HealthProbe.check(URI.create("http://127.0.0.1:" + closed + HealthProbe.READY)));
    }
}
