package dev.vigil.container;

import dev.vigil.VigilRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.main.Main;

/**
 * {@code vigil warm-up}: one start as {@code run} makes it, with the sample off, the HTTP server on a free loopback
 * port and a temporary data directory, until {@code /observe/health/ready} answers 200, then a graceful stop.
 * The build runs it under {@code -XX:ArchiveClassesAtExit} so the JVM writes the class data sharing archive of
 * every class a start loads (target/vigil.jsa for {@code java -jar}, /app/vigil.jsa in the image; docs/start-up.md).
 */
public final class WarmUp {

    static final long READY_WITHIN_MS = TimeUnit.MINUTES.toMillis(5);

    private WarmUp() {
    }

    public static int run(PrintStream out) throws Exception {
        Path data = Files.createTempDirectory("vigil-warm-up");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // strangers off: its timer's first run (1 s after start) builds the Rekognition client; whether that fell
        // before the stop depended on the machine's speed, and with it 13 MB of the archive
        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.http.host", "127.0.0.1",
                "vigil.http.port", Integer.toString(port), "vigil.data.dir", data.toString(),
                "vigil.strangers.enabled", "false"));
        long started = System.nanoTime();
        try {
            main.start();
            URI ready = URI.create("http://127.0.0.1:" + port + HealthProbe.READY);
            while (HealthProbe.check(ready) != 0) {
                if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) > READY_WITHIN_MS) {
                    out.println("warm-up: not ready within " + READY_WITHIN_MS + " ms");
                    return 1;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            out.println("warm-up: ready in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            return 0;
        } finally {
            main.stop();
            delete(data);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
