package dev.vigil.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The moto AWS emulator ({@code python3 -m moto.server}, moto[server] installed) as a child process on
 * 127.0.0.1 and a free port, for the benchmarks that need the Kinesis and DynamoDB wire protocols. Its log
 * goes to a temporary file; {@link #close} stops it.
 */
final class MotoServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static MotoServer start() throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("vigil-bench-moto-", ".log");
        Process p = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("moto did not start (`python3 -m moto.server` needs the moto[server] "
                        + "package: pip install 'moto[server]==5.2.1'): " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new MotoServer(p, port);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("moto did not listen on 127.0.0.1:" + port + " within 30 s (log: " + log + ")");
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** CPU time the emulator has used so far (all its threads). */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
