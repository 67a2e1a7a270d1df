package dev.vigil.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Mosquitto broker (/usr/sbin/mosquitto, Debian package mosquitto) on a free loopback port, with a
 * temporary config: anonymous access, persistence in its own directory (so a restarted broker keeps the
 * sessions and queued QoS 1 messages of persistent subscribers, as a real installation does).
 */
public final class Mosquitto implements AutoCloseable {

    public static final String BINARY = System.getenv().getOrDefault("MOSQUITTO", "/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private Process process;

    public Mosquitto(Path dir) throws IOException {
        this(dir, List.of("allow_anonymous true"));
    }

    /** @param listenerOptions lines after the listener line (TLS files, password_file, allow_anonymous) */
    public Mosquitto(Path dir, List<String> listenerOptions) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.port = Moto.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                String.join("\n", listenerOptions),
                "persistence true",
                "user " + System.getProperty("user.name"), // run as root it would switch to user mosquitto
                "persistence_location " + dir.toAbsolutePath() + "/",
                "log_dest file " + dir.toAbsolutePath().resolve("mosquitto.log"),
                "log_type all", ""));
        start();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    public int port() {
        return port;
    }

    public synchronized void start() throws IOException {
        process = new ProcessBuilder(BINARY, "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        Awaitility.await("mosquitto listening on " + port).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(this::listening);
    }

    /** Stops the broker as `kill` does (SIGTERM: it saves its sessions), and waits until it is gone. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    private boolean listening() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
