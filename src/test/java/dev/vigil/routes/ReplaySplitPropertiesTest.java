package dev.vigil.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.ingest.Replay;
import dev.vigil.sample.ScenarioGenerator;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The same generated day replayed as one file and split into any number of files (the real json-lines and
 * decision routes, alerts at a local webhook) gives the same alerts with the same ids, each once. Each try
 * starts two runtimes, so the tries are few; the seed is fixed and printed in jqwik's report.
 */
class ReplaySplitPropertiesTest {

    private static final String SECRET = "test-secret-0123456789abcdef";

    @Property(tries = 6, seed = "1720")
    void splittingADayIntoFilesChangesNoAlert(@ForAll long daySeed, @ForAll @IntRange(min = 2, max = 12) int files,
                                              @ForAll Random random) throws Exception {
        List<String> day = ScenarioGenerator.randomDay(daySeed, 8);
        Path dir = Files.createTempDirectory("vigil-split");
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < files; i++) {
            cuts.add(random.nextInt(day.size() + 1));
        }
        cuts.add(0);
        cuts.add(day.size());
        cuts.sort(Integer::compare);
        List<Path> parts = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.size(); i++) { // an empty part is an empty file
            parts.add(Files.write(dir.resolve(String.format("part-%02d.jsonl", i)),
                    day.subList(cuts.get(i), cuts.get(i + 1)), StandardCharsets.UTF_8));
        }
        Path whole = Files.write(dir.resolve("whole.jsonl"), day, StandardCharsets.UTF_8);

        List<String> once = replay(dir.resolve("one"), List.of(whole));
        List<String> split = replay(dir.resolve("split"), parts);

        Statistics.label("alerts in the day").collect(once.size() > 3 ? "more than 3" : once.size());
        assertEquals(once, split);
    }

    /** The alert ids the webhook received, sorted, with repeats. */
    private static List<String> replay(Path dataDir, List<Path> files) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET);
             RunningVigil vigil = new RunningVigil(dataDir, Map.of("vigil.config", "config/household.example.yaml",
                     "vigil.webhook.url", receiver.url(), "vigil.webhook.secret", SECRET, "vigil.rate-guard.max", "0",
                     "vigil.outbox.enabled", "false", "vigil.http.enabled", "false"))) {
            var template = vigil.main().getCamelContext().createProducerTemplate();
            for (Path f : files) {
                template.sendBodyAndHeader(Replay.ENDPOINT, f.toFile(), Replay.FILE_NAME_HEADER, f.toString());
            }
            return receiver.requests().stream().map(r -> r.headers().get("X-Vigil-Alert-Id")).sorted().toList();
        }
    }
}
