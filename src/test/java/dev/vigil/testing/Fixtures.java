package dev.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test inputs: the real Rekognition records, the bundled scenario, and small household files. */
public final class Fixtures {

    /** An email channel through SES to one recipient (the sender must be a verified identity in moto). */
    public static final String SES_EMAIL_CHANNEL = """
            channels:
              email:
                transport: ses
                from: vigil@example.org
                to:
                  - address: me@example.org
            """;


    public static final Path REKOGNITION = Path.of("src/test/resources/fixtures/rekognition-kds");
    public static final Path SCENARIO = Path.of("src/main/resources/sample/scenario.jsonl");

    private Fixtures() {
    }

    /** The real two-frame unknown face (one fragment, offsets 3.269 and 4.269 s), one record per element. */
    public static List<String> realUnknownPair() {
        return lines(REKOGNITION.resolve("real-unknown-face-same-fragment-pair.jsonl"));
    }

    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A household whose quality gates accept the real captured stranger, a profile face (yaw about -70):
     * the default maxYaw of 45 would rightly call it unidentifiable.
     */
    public static Path profileFriendlyHousehold(Path dir) {
        return write(dir.resolve("household.yaml"), """
                cameras:
                  - id: lab
                    name: Lab camera
                    kvsStream: some-other-stream
                policy:
                  thresholds:
                    maxYaw: 80
                """);
    }

    /**
     * The example household, but with alerts that never expire: on a live source, alerts about the sample
     * day (2026-11-24) would otherwise be dead-lettered as expired instead of delivered.
     */
    public static Path exampleHouseholdForLiveSources(Path dir) {
        String example = String.join("\n", lines(Path.of("config/household.example.yaml")));
        if (!example.contains("alertTtl: 15m")) {
            throw new IllegalStateException("config/household.example.yaml no longer says alertTtl: 15m");
        }
        return write(dir.resolve("household-live.yaml"), example.replace("alertTtl: 15m", "alertTtl: 36500d") + "\n");
    }

    /** The example household with more YAML (e.g. a channels section) appended. */
    public static Path exampleHouseholdWith(Path dir, String moreYaml) {
        String example = String.join("\n", lines(Path.of("config/household.example.yaml")));
        return write(dir.resolve("household.yaml"), example + "\n" + moreYaml);
    }

    public static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the project's routes/ in {@code dir}/routes, for a Vigil whose route files a test edits. */
    public static Path copyOfRoutes(Path dir) {
        try {
            Path routes = Files.createDirectories(dir.resolve("routes"));
            try (var files = Files.list(Path.of("routes"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, routes.resolve(f.getFileName()));
                }
            }
            return routes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The regular files below {@code dir}, sorted; listed again when Vigil removes one while it is listed. */
    public static List<Path> files(Path dir) {
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (var walk = Files.walk(dir)) {
                return walk.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                if (!(cause instanceof java.nio.file.NoSuchFileException) || attempt == 5) {
                    throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
                }
            }
        }
    }

    /** The household file's email channel: to me@example.org over plain SMTP on 127.0.0.1, plus {@code extra} lines. */
    public static String emailToMe(int smtpPort, String extra) {
        return """
                channels:
                  email:
                    from: vigil@example.org
                    to:
                      - address: me@example.org
                    smtp:
                      host: 127.0.0.1
                      port: %d
                      security: none
                """.formatted(smtpPort) + extra.indent(4);
    }

    /** The household file's webhook "home": private (it may get clip URLs), signed; then {@code more} lines of the list. */
    public static String privateHomeWebhook(String url, Path secretFile, String more) {
        return """
                channels:
                  webhooks:
                    - name: home
                      url: %s
                      secretFile: %s
                      private: true
                """.formatted(url, secretFile) + more.indent(4);
    }
}
