package dev.vigil.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The moto AWS emulator (Kinesis, DynamoDB, ...) as a child process on 127.0.0.1 and a free port, started
 * once per test JVM and stopped when it exits. Needs python3 with moto[server] (preinstalled on our
 * machines); fails with a clear message when it is missing.
 */
public final class Moto {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";

    private static Moto instance;

    private final Process process;
    private final int port;

    private Moto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static synchronized Moto get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> instance.process.destroyForcibly()));
        }
        return instance;
    }

    /** The emulator, emptied, with this JVM's SDK clients set up for it: what every AWS test starts from. */
    public static Moto fresh() {
        Streams.useEmulatorCredentials();
        Moto moto = get();
        moto.reset();
        return moto;
    }

    /** Environment for a Vigil child process in profile aws against this emulator. */
    public Map<String, String> awsProfileEnv() {
        return Map.of("VIGIL_PROFILE", "aws", "VIGIL_AWS_ENDPOINT", endpoint(), "VIGIL_AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "CBOR_ENABLED", "false",
                "AWS_EC2_METADATA_DISABLED", "true");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Forgets every stream, table and lease: each test starts clean. */
    public void reset() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/moto-api/reset").toURL().openConnection();
            c.setRequestMethod("POST");
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered " + c.getResponseCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed", e);
        }
    }

    private static Moto start() {
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            ProcessBuilder builder = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
                    Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = builder.start();
            try {
                org.awaitility.Awaitility.await("moto listening").atMost(java.time.Duration.ofSeconds(30))
                        .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                            if (!p.isAlive()) {
                                throw new IllegalStateException("moto did not start (is it installed? `python3 -m "
                                        + "moto.server` needs the moto[server] package): " + Files.readString(log));
                            }
                            try (Socket s = new Socket()) {
                                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                                return true;
                            } catch (IOException notYet) {
                                return false;
                            }
                        });
                return new Moto(p, port);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                p.destroyForcibly();
                throw new IllegalStateException("moto did not listen on 127.0.0.1:" + port + " within 30 s");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto: python3 not found? " + e.getMessage(), e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
