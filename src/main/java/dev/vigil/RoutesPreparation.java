package dev.vigil;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads the YAML routes once with Camel's YAML parser (snakeyaml-engine) on a daemon thread while the main thread
 * starts logging and Camel, and throws the result away (issue 15, docs/start-up.md). Camel parses every route
 * file twice before the routes exist (a pre-parse for beans and modelines, then the load); the first of those
 * parses ran the parser cold, interpreted, on the main thread: a seventh of its start. Now the parser's classes
 * are initialised and its code compiled by the time Camel parses. Nothing is kept and nothing is reported: the
 * routes Camel loads, and any problem in them, are exactly as before.
 */
final class RoutesPreparation {

    private RoutesPreparation() {
    }

    /** Starts reading the {@code *.camel.yaml} files of {@code dir} on a daemon thread. */
    static void startReading(Path dir) {
        Thread reader = new Thread(() -> read(dir), "vigil-routes-prepare");
        reader.setDaemon(true);
        reader.start();
    }

    private static void read(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList()) {
                LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
                try (Reader in = Files.newBufferedReader(file)) {
                    new Composer(settings, new ParserImpl(settings, new StreamReader(settings, in))).getSingleNode();
                }
            }
        } catch (IOException | RuntimeException e) {
            // a file that cannot be read or parsed: Camel's own load reports it, naming the file
        }
    }
}
