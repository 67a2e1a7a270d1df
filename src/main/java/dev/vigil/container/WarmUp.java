package dev.vigil.container;

import dev.vigil.VigilRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.apache.camel.util.FileUtil;

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

    /** Starts tried: another process may take the free port between its choice and the HTTP server's bind. */
    static final int ATTEMPTS = 3;

    public static int run(PrintStream out) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Integer exit = once(out, port);
            if (exit != null) {
                return exit;
            }
            if (attempt == ATTEMPTS) {
                out.println("warm-up: the HTTP server could not listen on a free port in " + ATTEMPTS + " starts");
                return 1;
            }
            out.println("warm-up: port " + port + " was taken before the HTTP server bound it; starting again");
        }
    }

    /** One start on {@code port}: its exit code, or null when the HTTP server never listened there. */
    static Integer once(PrintStream out, int port) throws Exception {
        Path data = Files.createTempDirectory("vigil-warm-up");
        // strangers off: its timer's first run (1 s after start) builds the Rekognition client; whether that fell
        // before the stop depended on the machine's speed, and with it 13 MB of the archive
        Main main = VigilRuntime.create(Map.of("vigil.sample.enabled", "false", "vigil.http.host", "127.0.0.1",
                "vigil.http.port", Integer.toString(port), "vigil.data.dir", data.toString(),
                "vigil.strangers.enabled", "false"));
        long started = System.nanoTime();
        try {
            main.start();
            // the server listens before start() returns; when its bind failed (the port taken meanwhile: Camel
            // only logs it) nothing ever will
            long refusedSince = System.nanoTime();
            URI ready = URI.create("http://127.0.0.1:" + port + HealthProbe.READY);
            while (HealthProbe.check(ready) != 0) {
                if (listening(port)) {
                    refusedSince = System.nanoTime();
                } else if (TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - refusedSince) >= 10) {
                    return null;
                }
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
            FileUtil.removeDir(data.toFile());
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
