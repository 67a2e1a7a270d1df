package dev.vigil;

import dev.vigil.bench.Benchmark;
import dev.vigil.config.ConfigException;
import dev.vigil.deliver.Redeliver;
import dev.vigil.ingest.Replay;
import dev.vigil.sample.ScenarioGenerator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;

/** Command line: {@code run} (default), {@code replay PATH...}, {@code bench}, {@code sample}. */
public final class Vigil {

    static final String USAGE = """
            usage: java -jar vigil.jar [command]
              run              start Vigil with the configured source and channels (the default)
              replay PATH...   feed .jsonl files or directories of recorded Rekognition records through the
                               routes, deliver the alerts to the configured channels, then exit
              redeliver NAME   re-send the dead-lettered alerts of one channel (a webhook name, sns or email)
                               once it works again; same alert ids, so receivers de-duplicate
              bench [N] [ROUNDS] [--threads T] [--warmup W]  decision throughput on N generated records (default
                               200000), one thread and T lanes, after W untimed rounds (default 4)
              bench history [N] [ROUNDS] [STORED]  decision throughput with the alert history on vs off,
                               and history query latency over STORED alerts (default 100000)
              bench-memory [CAMERAS] [PER_CAMERA]  live heap while deciding 1000 x 1000 generated records
              bench-streams [STREAMS] [SECONDS] [EVERY] [--poll-ms MS] [--kinesis kinesalite|moto]  one instance on 200 Kinesis results streams (emulators started
                               here), a second joining and killed -9: lag, CPU, heap, lease takeover, no alert lost
              cost-report [FILE]  a day of motion through the image engine's pacing: Rekognition calls and
                               dollars against the stream-processor engine (default: a bundled doorbell day)
              sample           print the bundled sample scenario, regenerated, to standard output
              faces add PERSON PHOTO... [--face N] | faces list | faces forget PERSON [--yes]
                               enrol, list and forget the known people of the face collection
              provision plan|apply|destroy [--yes] [--include-history]|policy   create the household's AWS resources (see docs/aws-setup.md)
              web-password     read the web console's household password on standard input, print its hash
              warm-up          start once with the sample off until ready, then stop (the build runs it to
                               make the class data sharing archive, docs/start-up.md)
            settings: vigil.* properties or VIGIL_* environment variables (see docs/configuration.md)""";

    private Vigil() {
    }

    public static void main(String[] args) {
        if ("json".equals(System.getenv("VIGIL_LOG_FORMAT")) && System.getProperty(LOG4J_CONFIGURATION) == null) {
            System.setProperty(LOG4J_CONFIGURATION, "log4j2-json.properties"); // before anything logs
        }
        System.exit(execute(args));
    }

    /** log4j's setting of its configuration file (src/main/resources/log4j2.properties unless set). */
    static final String LOG4J_CONFIGURATION = "log4j2.configurationFile";

    static int execute(String[] args) {
        String command = args.length == 0 ? "run" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        try {
            return switch (command) {
                case "run" -> run();
                case "replay" -> Replay.run(rest, System.out);
                case "redeliver" -> Redeliver.run(rest, System.out);
                case "bench" -> Benchmark.run(rest, System.out);
                case "bench-memory" -> dev.vigil.bench.MemoryBenchmark.run(rest, System.out);
                case "bench-streams" -> dev.vigil.bench.StreamsBenchmark.run(rest, System.out);
                case "cost-report" -> dev.vigil.engine.CostReport.run(rest, System.out);
                case "sample" -> ScenarioGenerator.print(System.out);
                case "faces" -> dev.vigil.faces.FacesCommand.run(rest, System.out, System.err);
                case "web-password" -> dev.vigil.console.PasswordHash.run(System.in, System.out);
                case "warm-up" -> dev.vigil.container.WarmUp.run(System.out);
                case "provision" -> dev.vigil.provision.Provision.run(rest, System.in, System.out, System.err, Map.of());
                case "help", "-h", "--help" -> {
                    System.out.println(USAGE);
                    yield 0;
                }
                default -> usage("unknown command: " + command);
            };
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (Exception e) {
            ConfigException config = configProblem(e);
            if (config != null) {
                System.err.println("vigil: " + config.getMessage());
                return 2;
            }
            System.err.println("vigil: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private static int run() throws Exception {
        Main main = VigilRuntime.create(Map.of());
        VigilRuntime.start(main);
        dev.vigil.operate.GracefulExit.install(main.getCamelContext()); // exit 0 after a graceful SIGTERM, not 143
        // Camel's shutdown strategy hooks SIGTERM/SIGINT and releases await() once the context has stopped
        main.getShutdownStrategy().await();
        main.stop();
        return 0;
    }

    static int usage(String problem) {
        System.err.println("vigil: " + problem);
        System.err.println(USAGE);
        return 2;
    }

    /** The configuration problem behind a start-up failure, if that is what it was. */
    public static ConfigException configProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
        }
        return null;
    }
}
