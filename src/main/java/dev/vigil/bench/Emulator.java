package dev.vigil.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An AWS emulator as a child process on 127.0.0.1 and a free port, for the benchmarks that need the Kinesis and
 * DynamoDB wire protocols: moto ({@code python3}, moto[server] installed) or, for Kinesis only, kinesalite (Node.js,
 * installed on demand from the npm registry into {@code ~/.cache/vigil-bench}). Its log goes to a temporary file;
 * {@link #close} stops it. Benchmark harness only: no test and no part of Vigil starts these.
 */
final class Emulator implements AutoCloseable {

    /** The kinesalite release the benchmark installs (npm): a Kinesis emulator in one Node.js process. */
    static final String KINESALITE = "kinesalite@3.3.3";

    /**
     * moto's own server ({@code python3 -m moto.server}) with two per-request costs removed that have nothing to
     * do with the emulated services (profiled: BENCHMARKS.md, section "soak (session 5)"): moto lists and stats its ~180
     * package directories on every request to match the Host header ({@code backends.list_of_moto_modules}), and
     * werkzeug writes a log line per request. Same application object, same state, same responses.
     */
    private static final String LEAN_MOTO = """
            import os, sys
            import moto.backends as backends
            _modules = list(backends.list_of_moto_modules())
            backends.list_of_moto_modules = lambda: _modules
            from werkzeug.serving import WSGIRequestHandler
            WSGIRequestHandler.log_request = lambda *args, **kwargs: None
            from moto.server import main
            main(sys.argv[1:])
            """;

    private final String name;
    private final Process process;
    private final int port;

    private Emulator(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** moto with every service, through {@link #LEAN_MOTO}. */
    static Emulator moto(Path workDir) throws IOException, InterruptedException {
        Path launcher = workDir.resolve("moto-lean.py");
        if (!Files.exists(launcher)) {
            Files.writeString(launcher, LEAN_MOTO);
        }
        int port = freePort();
        return start("moto", List.of("python3", launcher.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)), port,
                "`python3 -m moto.server` needs the moto[server] package: pip install 'moto[server]==5.2.1'");
    }

    /** kinesalite, in memory, streams ACTIVE at once, with room for {@code shards} shards. */
    static Emulator kinesalite(int shards) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "vigil-bench");
        Path cli = home.resolve("node_modules/kinesalite/cli.js");
        if (!Files.exists(cli)) {
            List<String> install = List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", home.toString(), KINESALITE);
            System.out.println("installing the Kinesis emulator for this benchmark: " + String.join(" ", install));
            Files.createDirectories(home);
            Process npm = new ProcessBuilder(install).inheritIO().start();
            if (npm.waitFor() != 0 || !Files.exists(cli)) {
                throw new IllegalStateException("could not install " + KINESALITE + " (needs node and npm, and the npm "
                        + "registry): run `" + String.join(" ", install) + "`, or use --kinesis moto");
            }
        }
        int port = freePort();
        return start("kinesalite", List.of("node", cli.toString(), "--port", Integer.toString(port), "--createStreamMs", "0",
                "--shardLimit", Integer.toString(Math.max(10, shards))), port, "kinesalite needs node (Node.js) on the PATH");
    }

    private static Emulator start(String name, List<String> command, int port, String hint)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("vigil-bench-" + name + "-", ".log");
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " did not start (" + hint + "): " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Emulator(name, p, port);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException(name + " did not listen on 127.0.0.1:" + port + " within 30 s (log: " + log + ")");
    }

    String name() {
        return name;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** CPU time the emulator has used so far (all its threads). */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * The position of a record in its shard (1, 2, ... in put order) from its sequence number: moto numbers records
     * 1, 2, ... per shard; kinesalite's (version 2, like Kinesis's 56 digits) carry the per-stream index of the
     * record in hex digits 11-26, from 0.
     */
    static long ordinal(String sequenceNumber) {
        if (sequenceNumber.length() < 19) {
            return Long.parseLong(sequenceNumber);
        }
        String hex = new BigInteger(sequenceNumber).toString(16);
        return Long.parseLong(hex.substring(11, 27), 16) + 1;
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
