package dev.vigil.ingest.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.Vigil;
import dev.vigil.config.ConfigException;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.Emulators;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Streams;
import dev.vigil.testing.VigilProcess;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Start-up of the kinesis source stops with a message naming the stream and the fix. */
@ExtendWith(Emulators.class)
class KinesisStartupChecksTest {

    private static final String HOUSEHOLD = """
            cameras:
              - id: lab
                name: Lab camera
                kvsStream: lab-cam
                resultsStream: face-results
            """;

    @TempDir
    Path dir;
    Moto moto; // the shared emulator, emptied before each test (Emulators)


    private String startupProblem(String endpoint, String region) {
        Exception e = assertThrows(Exception.class, () -> new RunningVigil(dir.resolve("data"), Map.of(
                "vigil.config", Fixtures.write(dir.resolve("household.yaml"), HOUSEHOLD).toString(),
                "vigil.kinesis.enabled", "true", "vigil.aws.endpoint", endpoint, "vigil.aws.region", region)));
        ConfigException config = Vigil.configProblem(e);
        assertNotNull(config, e.toString());
        return config.getMessage();
    }

    @Test
    void missingResultsStreamNamesTheStreamTheCameraAndTheKey() {
        String problem = startupProblem(moto.endpoint(), Moto.REGION);
        assertTrue(problem.contains("results stream \"face-results\" of camera \"lab\" does not exist in region us-east-1"),
                problem);
        assertTrue(problem.contains("cameras[0].resultsStream"), problem);
    }

    @Test
    void streamInAnotherRegionIsReportedWithTheRegion() throws Exception {
        try (Streams streams = new Streams(moto.endpoint())) {
            streams.create("face-results", 1); // in us-east-1
        }
        String problem = startupProblem(moto.endpoint(), "eu-west-2");
        assertTrue(problem.contains("does not exist in region eu-west-2") && problem.contains("AWS_REGION"), problem);
    }

    @Test
    void accessDeniedNamesThePermissions() throws Exception {
        HttpServer deny = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        deny.createContext("/", x -> {
            byte[] body = ("{\"__type\":\"AccessDeniedException\",\"message\":\"User: arn:aws:iam::123456789012:user/vigil "
                    + "is not authorized to perform: kinesis:DescribeStreamSummary\"}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            x.sendResponseHeaders(400, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        deny.start();
        try {
            String problem = startupProblem("http://127.0.0.1:" + deny.getAddress().getPort(), Moto.REGION);
            assertTrue(problem.contains("not allowed to read the results stream \"face-results\""), problem);
            assertTrue(problem.contains("kinesis:DescribeStreamSummary, ListShards, GetShardIterator and GetRecords"),
                    problem);
        } finally {
            deny.stop(0);
        }
    }

    @Test
    void missingCredentialsStopTheProcessWithExitCode2() throws Exception {
        Path household = Fixtures.write(dir.resolve("household.yaml"), HOUSEHOLD);
        Map<String, String> env = new HashMap<>(moto.awsProfileEnv());
        env.keySet().removeAll(Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));
        env.putAll(Map.of("VIGIL_CONFIG", household.toString(), "VIGIL_DATA_DIR", dir.resolve("data").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString(),
                "AWS_CONFIG_FILE", dir.resolve("none").toString()));
        VigilProcess.Result run = VigilProcess.run(dir.resolve("run"), env);
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("no AWS credentials found") && run.err().contains("AWS_PROFILE"), run.err());
    }
}
