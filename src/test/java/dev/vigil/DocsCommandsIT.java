package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command the README and docs/*.md show in a code block works when pasted. Commands are read from
 * the fenced blocks (no language, sh, bash, shell); each must match either {@link #RUN} (pasted into bash in
 * a scratch copy of the repository, against the shaded jar: exit 0 and some output) or {@link #SKIP}, an
 * explicit list of what cannot run here and why (AWS, a Docker engine, a running server). A new command in
 * the docs that is in neither list fails the build until someone decides which it is. An IT because it
 * needs target/vigil.jar, which the package phase writes.
 */
class DocsCommandsIT {

    /** Safe commands: no AWS, no server, no files the reader has to bring. */
    static final List<Pattern> RUN = List.of(
            Pattern.compile("java -jar target/vigil\\.jar (help|sample|cost-report)( [^|&;]*)?"),
            Pattern.compile("cp config/household\\.example\\.yaml my-household\\.yaml"),
            Pattern.compile("VIGIL_CONFIG=my-household\\.yaml java -jar target/vigil\\.jar replay src/main/resources/sample/scenario\\.jsonl"));

    /** What cannot run here, each with the reason. */
    static final Map<Pattern, String> SKIP = new LinkedHashMap<>();
    static {
        SKIP.put(Pattern.compile("\\./mvnw .*"), "the build that runs this test");
        SKIP.put(Pattern.compile("docker .*"), "needs a Docker engine");
        SKIP.put(Pattern.compile("curl .*"), "needs a running Vigil");
        SKIP.put(Pattern.compile("python3 -m moto\\.server.*|.*python3 docs/put-sample\\.py.*"), "starts or needs the AWS emulator");
        SKIP.put(Pattern.compile("export .*"), "sets variables for the commands after it");
        SKIP.put(Pattern.compile(".*java -jar target/vigil\\.jar (provision|faces) .*"), "needs an AWS account");
        SKIP.put(Pattern.compile("java -jar target/vigil\\.jar redeliver .*"), "needs dead letters and a working channel");
        SKIP.put(Pattern.compile(".*java -jar target/vigil\\.jar replay my-recorded-day/"), "needs your recorded day");
        SKIP.put(Pattern.compile(".*java (-XX:SharedArchiveFile=target/vigil\\.jsa )?(-XX:CompileThresholdScaling=5 )?-jar target/vigil\\.jar"), "runs until stopped");
    }

    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern ENV = Pattern.compile("^(?:[A-Z_][A-Z0-9_]*=\\S*\\s+)*");
    private static final List<String> PROGRAMS = List.of("java", "./mvnw", "cp", "curl", "docker", "python3", "export", "openssl");

    @TempDir
    Path scratch;

    @Test
    void everyDocumentedCommandIsRunOrSkippedForAReason() throws IOException {
        List<String> commands = documentedCommands();
        assertTrue(commands.size() > 20, "found the docs' commands: " + commands);
        List<String> unclassified = commands.stream().filter(c -> !runnable(c) && !skipped(c)).toList();
        assertEquals(List.of(), unclassified, "add these to RUN or SKIP (with the reason)");
    }

    @Test
    void theSafeCommandsWorkWhenPasted() throws Exception {
        List<String> safe = documentedCommands().stream().filter(DocsCommandsIT::runnable).distinct().toList();
        assertTrue(safe.stream().anyMatch(c -> c.contains("vigil.jar help")), "the README shows `help`: " + safe);
        for (String dir : List.of("routes", "config")) {
            copyTree(Path.of(dir), scratch.resolve(dir));
        }
        for (String link : List.of("target", "src", "docs")) {
            Files.createSymbolicLink(scratch.resolve(link), Path.of(link).toAbsolutePath());
        }
        for (String command : safe) {
            Path out = scratch.resolve("out.txt");
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(scratch.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
            builder.environment().put("VIGIL_DATA_DIR", scratch.resolve("data").toString());
            Process process = builder.start();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "finishes: " + command);
            String text = Files.readString(out);
            assertEquals(0, process.exitValue(), command + "\n" + text);
            assertFalse(command.startsWith("java") && text.isBlank(), "prints something: " + command);
        }
    }

    static boolean runnable(String command) {
        return RUN.stream().anyMatch(p -> p.matcher(command).matches());
    }

    static boolean skipped(String command) {
        return SKIP.keySet().stream().anyMatch(p -> p.matcher(command).matches());
    }

    /** The shell commands of README.md and docs/*.md code blocks: continuations joined, comments dropped. */
    static List<String> documentedCommands() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<String> commands = new ArrayList<>();
        for (Path file : files) {
            boolean shell = false;
            boolean inBlock = false;
            StringBuilder pending = new StringBuilder();
            for (String line : Files.readAllLines(file)) {
                Matcher fence = FENCE.matcher(line.trim());
                if (fence.matches()) {
                    inBlock = !inBlock;
                    shell = inBlock && List.of("", "sh", "bash", "shell").contains(fence.group(1));
                    continue;
                }
                if (!shell) {
                    continue;
                }
                String text = line.replaceFirst("\\s+#\\s.*$", "").trim();
                if (text.endsWith("\\")) {
                    pending.append(text, 0, text.length() - 1).append(' ');
                    continue;
                }
                String command = (pending + text).replaceAll("\\s+", " ").trim();
                pending.setLength(0);
                String program = ENV.matcher(command).replaceFirst("").split(" ", 2)[0];
                if (!command.isEmpty() && PROGRAMS.contains(program)) {
                    commands.add(command);
                }
            }
        }
        return commands;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
