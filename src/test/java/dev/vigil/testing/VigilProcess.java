package dev.vigil.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Vigil's command line as a real child process (the same main class the jar runs), configured only through
 * environment variables, as a user would run it. Output goes to files so nothing blocks.
 */
public final class VigilProcess {

    /** A finished command: exit code, standard output and standard error. */
    public record Result(int exitCode, String out, String err) {
    }

    /** Every child started in this JVM and not yet stopped by {@link #stopAll}. */
    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private VigilProcess() {
    }

    /** Stops what a test left running: SIGTERM, up to 30 s to finish, then SIGKILL. */
    public static void stopAll() {
        for (Process p : STARTED) {
            if (p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        STARTED.clear();
    }

    /**
     * JVM options of a test's child: the test JVMs' own (the pom's vigil.test.jvm, which surefire and failsafe pass
     * on: only the quick (C1) JIT). A child lives for seconds and spent about half of its CPU on the optimising
     * compiler; C1 alone halves that (a {@code vigil replay} of the sample day: 6.4-7.2 s of CPU, 7.1-8.6 s wall,
     * against 3.3-3.5 s and 4.6-5.2 s), on a CI machine of 2 cores that runs two test JVMs. Benchmarks
     * ({@link #startFullJit}) keep the JVM's defaults, as users run it.
     */
    private static final List<String> TEST_CHILD_JVM = java.util.Arrays.stream(
            System.getProperty("vigil.test.jvm", "").trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();

    /** Vigil's command line in a child process, for a test (quick JIT: {@link #TEST_CHILD_JVM}). */
    public static Process start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(TEST_CHILD_JVM, workDir, env, args);
    }

    /** Vigil's command line in a child process with the JVM's default JIT, as users run it: for benchmarks. */
    public static Process startFullJit(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(List.of(), workDir, env, args);
    }

    private static Process start(List<String> jvmOptions, Path workDir, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.vigil.Vigil"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File("."));
        builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        builder.environment().put("VIGIL_HTTP_HOST", "127.0.0.1");
        builder.environment().put("VIGIL_HTTP_PORT", Integer.toString(Moto.freePort())); // several may run at once
        builder.environment().putAll(env);
        if (!env.containsKey("VIGIL_AWS_ENDPOINTS_REKOGNITION")) {
            // moto has no Rekognition: the strangers' search (docs/teaching.md) would wait out the SDK's retries
            builder.environment().putIfAbsent("VIGIL_STRANGERS_ENABLED", "false");
        }
        builder.redirectOutput(workDir.resolve("stdout.txt").toFile());
        builder.redirectError(workDir.resolve("stderr.txt").toFile());
        Process process = builder.start();
        STARTED.add(process);
        return process;
    }

    public static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
        Files.createDirectories(workDir);
        Process p = start(workDir, env, args);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vigil " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), read(workDir.resolve("stdout.txt")), read(workDir.resolve("stderr.txt")));
    }

    /** Waits for the condition; on time-out the failure shows what the child process in {@code run} logged. */
    public static void awaitOrShow(java.time.Duration timeout, java.util.function.BooleanSupplier condition, String what,
                                   Path run) throws IOException {
        try {
            Streams.await(timeout, condition, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- vigil stderr:\n" + read(run.resolve("stderr.txt")), e);
        }
    }

    public static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** The alert ids replay gives for the sample day of the example household's cameras (what a live run must give). */
    public static java.util.SortedSet<String> replayedAlertIdsOfSampleDay(Path dir, String secret) throws Exception {
        Path dayFile = Files.write(dir.resolve("day.jsonl"), Streams.sampleDayOfCameras());
        java.util.SortedSet<String> ids = replayedAlertIds(dir.resolve("replay"), dayFile, secret);
        if (ids.size() != 5) {
            throw new AssertionError("the sample day gives known_person, 2 unknown_face, suspected_match, visit_update: " + ids);
        }
        return ids;
    }

    /**
     * The alert ids {@code vigil replay} delivers for a recorded day: what a live source must deliver too.
     * Runs replay as a child process into a signed webhook receiver, under {@code dir}.
     */
    public static java.util.SortedSet<String> replayedAlertIds(java.nio.file.Path dir, java.nio.file.Path dayFile,
                                                                String secret) throws Exception {
        try (WebhookReceiver reference = new WebhookReceiver(secret)) {
            Result replay = run(dir, Map.of("VIGIL_WEBHOOK_URL", reference.url(), "VIGIL_WEBHOOK_SECRET", secret,
                    "VIGIL_CONSOLE_ENABLED", "false", "VIGIL_DATA_DIR", dir.resolve("data").toString()),
                    "replay", dayFile.toString());
            if (replay.exitCode() != 0) {
                throw new AssertionError("replay exited " + replay.exitCode() + ": " + replay.err());
            }
            return reference.alertIds();
        }
    }
}
