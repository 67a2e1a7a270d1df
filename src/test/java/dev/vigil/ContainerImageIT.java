package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.VigilProcess;
import dev.vigil.testing.WebhookReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daemonless image (target/vigil-image.tar, built by jib:buildTar in the package phase) as a container
 * runtime would run it: its layers unpacked in manifest order into a root file system, then its Entrypoint
 * started with its Env, WorkingDir and User, chrooted into that root, which is mounted read-only except for
 * the /data volume and a tmpfs on /tmp, with /proc mounted as a runtime does. Needs root (as CI runs) for
 * chroot and mounts; the process itself runs as the image's user, never root.
 */
class ContainerImageIT {

    private static final String SECRET = "container-test-secret-0123";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** chroot into the root, change to the working directory, drop to the image's user, exec the entrypoint. */
    private static final String LAUNCH = """
            import json, os, sys
            root, workdir, user, envfile = sys.argv[1:5]
            env = json.load(open(envfile))
            uid, _, gid = user.partition(':')
            os.chroot(root)
            os.chdir(workdir or '/')
            os.setgroups([])
            os.setgid(int(gid or uid))
            os.setuid(int(uid))
            os.execve(sys.argv[5], sys.argv[5:], env)
            """;

    /**
     * In a mount namespace of its own (gone with the process): what a runtime mounts (/proc; /dev with the usual
     * devices, without which SecureRandom seeds itself slowly; the volume; a tmpfs on /tmp; the host files
     * /etc/hosts, /etc/resolv.conf and /etc/hostname, without which looking up the host's own name waits for DNS
     * time-outs), then the root read-only.
     */
    private static final String MOUNTS = """
            set -e
            R="$1"; shift
            mount --bind "$R" "$R"
            mount -t proc proc "$R/proc"
            mount -t tmpfs -o mode=755,size=64k tmpfs "$R/dev"
            for d in null zero full random urandom tty; do touch "$R/dev/$d"; mount --bind "/dev/$d" "$R/dev/$d"; done
            mount --bind "$R/data" "$R/data"
            mount -t tmpfs -o mode=1777,size=64m tmpfs "$R/tmp"
            for f in hosts resolv.conf hostname; do
              if [ -e "/etc/$f" ]; then touch "$R/etc/$f"; mount --bind "/etc/$f" "$R/etc/$f"; fi
            done
            mount -o remount,bind,ro "$R"
            exec "$@"
            """;

    /** Under target/, not /tmp: a /tmp mounted noexec could not run the image's java. */
    static Path work = Path.of("target", "container-it").toAbsolutePath();

    static Path rootfs;
    static JsonNode config;
    static long tarBytes;
    /** As unpacked, before anything ran: what user 10001 could write, and what it owns. */
    static Set<String> writable = new TreeSet<>();
    static Set<String> ownedByUser = new TreeSet<>();

    @BeforeAll
    static void unpack() throws Exception {
        String tarProperty = System.getProperty("vigil.image.tar", "target/vigil-image.tar");
        Path tar = Path.of(tarProperty);
        assertTrue(Files.isRegularFile(tar), tar + " is missing: the package phase builds it (profile image, jib:buildTar)");
        tarBytes = Files.size(tar);
        delete(work);
        Path image = Files.createDirectories(work.resolve("image"));
        run(List.of("tar", "-xf", tar.toString(), "-C", image.toString()));
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile()).get("config");
        rootfs = Files.createDirectories(work.resolve("rootfs"));
        for (JsonNode layer : manifest.get("Layers")) {
            // as root, tar keeps the owners and modes the layer says (numeric, there are no names here)
            run(List.of("tar", "--numeric-owner", "-xzf", image.resolve(layer.asText()).toString(), "-C", rootfs.toString()));
        }
        long unpacked = 0;
        try (Stream<Path> all = Files.walk(rootfs)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                unpacked += Files.isRegularFile(p) ? Files.size(p) : 0;
                if (writableBy(p, 10001, 10001)) {
                    writable.add("/" + rootfs.relativize(p));
                }
                if (owner(p) == 10001) {
                    ownedByUser.add("/" + rootfs.relativize(p));
                }
            }
        }
        System.out.printf("vigil image: tarball %.1f MB, %d layers, unpacked %.1f MB%n",
                tarBytes / 1e6, manifest.get("Layers").size(), unpacked / 1e6);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        delete(work);
    }

    @Test
    void theImageRunsAsUser10001AndOnlyDataAndTmpAreWritable() throws Exception {
        assertEquals("10001:10001", config.path("User").asText());
        assertEquals("/app", config.path("WorkingDir").asText());
        assertTrue(env().containsKey("VIGIL_DATA_DIR") && env().get("VIGIL_DATA_DIR").equals("/data"), env().toString());
        assertTrue(config.path("Volumes").has("/data"), config.toString());
        assertTrue(config.path("ExposedPorts").has("8080/tcp"), config.toString());
        Path java = inRoot(config.path("Entrypoint").get(0).asText());
        assertTrue(Files.isExecutable(java), java + " from the entrypoint is not in the image");
        assertTrue(Files.isDirectory(rootfs.resolve("app/routes")) && Files.isRegularFile(rootfs.resolve("app/config/application.properties")),
                "routes/ and config/ are in the working directory");

        assertEquals(Set.of("/data", "/tmp"), writable, "what user 10001 could write in the image");
        assertTrue(ownedByUser.isEmpty(), "the image's own files belong to root, not to the user it runs as: " + ownedByUser);
    }

    @Test
    void startedFromItsEntrypointAsANonRootUserOnAReadOnlyRootItBecomesReadyAndWritesOnlyToData() throws Exception {
        boolean root = "0".equals(run(List.of("id", "-u")).strip());
        if (!root) {
            // chroot and mounts need root; CI runs as root, so there this must run
            assertTrue(System.getenv("CI") == null, "ContainerImageIT must run as root under CI");
            Assumptions.abort("starting the image needs root for chroot and mounts (CI runs as root)");
        }
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
        Path stdout = work.resolve("stdout.txt");
        Path stderr = work.resolve("stderr.txt");
        boolean health = Files.readString(rootfs.resolve("app/config/application.properties")).contains("vigil.http.port");
        int httpPort = freePort();
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            receiver.respond(400); // the first alert is refused (not retried): it must be dead-lettered into /data
            Map<String, String> env = new LinkedHashMap<>(env());
            env.put("VIGIL_HTTP_PORT", Integer.toString(httpPort));
            env.put("VIGIL_WEBHOOK_URL", receiver.url());
            env.put("VIGIL_WEBHOOK_SECRET", SECRET);
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            List<String> entrypoint = new ArrayList<>();
            config.path("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
            config.path("Cmd").forEach(a -> entrypoint.add(a.asText()));

            // the runtime's class data sharing archive survives jib's fixed file times (-Xshare:on fails otherwise)
            Process version = launch(List.of(entrypoint.get(0), "-Xshare:on", "-version"), env, work.resolve("version.out"), work.resolve("version.err"));
            assertTrue(version.waitFor(30, TimeUnit.SECONDS), "java -version finished");
            String versionText = VigilProcess.read(work.resolve("version.err"));
            assertEquals(0, version.exitValue(), versionText);
            assertTrue(versionText.contains("version \"17.") && versionText.contains("sharing"), versionText);

            // the image's AppCDS archive (docker/image-cds.sh) matches its class path and jars as jib wrote them:
            // with -Xshare:on a mismatch stops the JVM instead of starting without the archive
            assertTrue(entrypoint.contains("-XX:SharedArchiveFile=/app/vigil.jsa"), entrypoint.toString());
            List<String> shared = new ArrayList<>(entrypoint);
            shared.add(1, "-Xshare:on");
            shared.add("help");
            Process cds = launch(shared, env, work.resolve("cds.out"), work.resolve("cds.err"));
            assertTrue(cds.waitFor(60, TimeUnit.SECONDS), "help with -Xshare:on finished");
            assertEquals(0, cds.exitValue(), "the image's class data sharing archive is refused: "
                    + VigilProcess.read(work.resolve("cds.out")) + VigilProcess.read(work.resolve("cds.err")));

            long started = System.nanoTime();
            Process vigil = launch(entrypoint, env, stdout, stderr);
            try {
                long ready = health ? awaitReady(vigil, httpPort, stderr) : awaitAlerts(vigil, stdout, stderr, 1);
                System.out.printf("vigil image: start to ready %d ms (%s)%n", TimeUnit.NANOSECONDS.toMillis(ready - started),
                        health ? "GET /observe/health/ready answered 200" : "first alert on standard output");
                if (health) {
                    // the documented --health-cmd, run inside the image like `docker exec` would
                    Process probe = launch(List.of("/opt/java/bin/java", "-cp", "/app/classes", "dev.vigil.container.HealthProbe"),
                            env, work.resolve("probe.out"), work.resolve("probe.err"));
                    assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "the health probe finished");
                    assertEquals(0, probe.exitValue(), VigilProcess.read(work.resolve("probe.out")) + VigilProcess.read(work.resolve("probe.err")));
                }
                awaitAlerts(vigil, stdout, stderr, 6);
                List<String> lines = VigilProcess.read(stdout).lines().toList();
                assertTrue(lines.get(0).contains("known_person") && lines.get(0).contains("Front door"), lines.get(0));

                Path letters = rootfs.resolve("data/dead-letters/alert-webhook");
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).ignoreExceptions()
                        .until(() -> hasFiles(letters));
                assertTrue(hasFiles(letters), "the refused alert is dead-lettered in /data\n" + VigilProcess.read(stderr));
                try (Stream<Path> files = Files.list(letters)) {
                    for (Path letter : files.toList()) {
                        assertEquals(10001, owner(letter), letter + " is written by the image's user");
                    }
                }
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                        .until(() -> receiver.requests().size() >= 6);
                assertEquals(6, receiver.requests().size(), "every sample alert reached the webhook (one refused)");
                assertTrue(receiver.requests().stream().allMatch(WebhookReceiver.Request::signatureValid), "signed from inside the image");
                assertTrue(vigil.isAlive(), "keeps running\n" + VigilProcess.read(stderr));
                String log = VigilProcess.read(stderr);
                assertFalse(log.contains("Read-only file system"), "wrote outside /data and /tmp:\n" + log);

                vigil.destroy(); // SIGTERM to the JVM itself: unshare, sh and python exec'ed into it
                assertTrue(vigil.waitFor(40, TimeUnit.SECONDS), "stops within 40 s of SIGTERM\n" + VigilProcess.read(stderr));
                if (health) {
                    // with graceful shutdown (the observability work), a stopped container exits 0
                    assertEquals(0, vigil.exitValue(), VigilProcess.read(stderr));
                }
            } finally {
                if (vigil.isAlive()) {
                    vigil.destroyForcibly();
                }
            }
        }
    }

    /** Runs ARGV inside the image as its user, in a mount namespace of its own with the root read-only. */
    private static Process launch(List<String> argv, Map<String, String> env, Path stdout, Path stderr) throws IOException {
        Path envFile = Files.createTempFile(work, "env", ".json");
        JSON.writeValue(envFile.toFile(), env);
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c", MOUNTS, "mounts", rootfs.toString(),
                "python3", "-c", LAUNCH, rootfs.toString(), config.path("WorkingDir").asText(),
                config.path("User").asText(), envFile.toString()));
        command.addAll(argv);
        return new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    private static long awaitReady(Process vigil, int port, Path stderr) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI ready = URI.create("http://127.0.0.1:" + port + "/observe/health/ready");
        int last = -1;
        for (int i = 0; i < 1200 && vigil.isAlive(); i++) {
            try {
                last = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    long at = System.nanoTime();
                    URI live = URI.create("http://127.0.0.1:" + port + "/observe/health/live");
                    assertEquals(200, http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                    return at;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("not ready within 60 s (last status " + last + ", alive " + vigil.isAlive() + ")\n"
                + VigilProcess.read(stderr));
    }

    private static long awaitAlerts(Process vigil, Path stdout, Path stderr, int count) throws Exception {
        for (int i = 0; i < 1200 && vigil.isAlive(); i++) {
            if (VigilProcess.read(stdout).lines().count() >= count) {
                return System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " alerts within 60 s (alive " + vigil.isAlive() + ")\n"
                + VigilProcess.read(stdout) + VigilProcess.read(stderr));
    }

    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        config.path("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            env.put(kv[0], kv[1]);
        });
        return env;
    }

    private static Path inRoot(String absolute) {
        return rootfs.resolve(absolute.substring(1));
    }

    private static boolean writableBy(Path p, int uid, int gid) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            int group = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            return (owner(p) == uid && perms.contains(PosixFilePermission.OWNER_WRITE))
                    || (group == gid && perms.contains(PosixFilePermission.GROUP_WRITE))
                    || perms.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int owner(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
