package dev.vigil.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.VigilConfiguration;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.Streams;
import dev.vigil.testing.VigilProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs as an operator collects them: `vigil` (a real child process) replays the sample day with
 * VIGIL_LOG_FORMAT=json. Every line on standard error is one JSON object; each alert sent has its own INFO
 * line with ids; no person's name and no face id appears in the logs at INFO.
 */
class LogsTest {

    @TempDir
    Path dir;

    @Test
    void jsonLinesWithOneLinePerAlertAndNoNamesOrFaceIds() throws Exception {
        Path work = Files.createDirectories(dir.resolve("run"));
        Process vigil = VigilProcess.start(work, Map.of("VIGIL_LOG_FORMAT", "json",
                "VIGIL_DATA_DIR", dir.resolve("data").toString()));
        Path err = work.resolve("stderr.txt");
        try {
            Streams.await(Duration.ofSeconds(90), () -> count(err, "alert sent id=") >= 6, "six alerts sent");
        } finally {
            vigil.destroy();
            assertTrue(vigil.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(0, vigil.exitValue(), "SIGTERM is a graceful stop");
        String text = VigilProcess.read(err);

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.lines().toList()) {
            lines.add(json.readTree(line)); // throws if a line is not one JSON object
        }
        List<JsonNode> sent = lines.stream().filter(l -> l.path("message").asText().startsWith("alert sent id=")).toList();
        assertEquals(6, sent.size(), text);
        JsonNode first = sent.get(0);
        assertEquals("INFO", first.path("log.level").asText(), first.toString());
        assertEquals("dev.vigil.alerts", first.path("log.logger").asText(), first.toString());
        assertEquals("vigil", first.path("service.name").asText(), first.toString());
        assertTrue(first.path("@timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*"), first.toString());
        assertTrue(first.path("message").asText().matches(
                "alert sent id=[0-9a-f-]{36} type=[a-z_]+ severity=\\w+ camera=[\\w-]+ visit=v-[0-9a-f]+ channel=console in \\d+ ms"),
                first.toString());
        assertTrue(lines.stream().anyMatch(l -> l.path("log.level").asText().equals("WARN")
                && l.path("message").asText().startsWith("dead letter kind=record")), "the dead letter's WARN line");

        Household household = HouseholdLoader.load(VigilConfiguration.EMBEDDED_HOUSEHOLD);
        assertFalse(household.people().isEmpty());
        for (Household.Person p : household.people()) {
            assertFalse(text.contains(p.name()), "no person's name in the logs: " + p.name());
        }
        Matcher faceIds = Pattern.compile("\"FaceId\":\"([0-9a-f-]{36})\"").matcher(Files.readString(Fixtures.SCENARIO));
        int checked = 0;
        while (faceIds.find()) {
            assertFalse(text.contains(faceIds.group(1)), "no face id in the logs: " + faceIds.group(1));
            checked++;
        }
        assertTrue(checked > 0);
        assertTrue(VigilProcess.read(work.resolve("stdout.txt")).contains("Alice"),
                "the console channel (standard output) does name people: the check above is not vacuous");
    }

    private static long count(Path file, String what) {
        try {
            return VigilProcess.read(file).lines().filter(l -> l.contains(what)).count();
        } catch (Exception e) {
            return 0;
        }
    }
}
