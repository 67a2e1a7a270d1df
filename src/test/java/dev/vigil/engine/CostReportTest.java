package dev.vigil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.ImageSampling;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vigil cost-report: the committed day is the generated one, and the engine's pacing keeps it cheap. */
class CostReportTest {

    static final CostMeter.Prices PRICES = new CostMeter.Prices(0.001, 0);

    @Test
    void theBundledDoorbellDayIsTheGeneratedOne() throws Exception {
        String committed = Files.readString(Path.of("src/main/resources", DoorbellDay.RESOURCE));
        assertEquals(DoorbellDay.jsonLines(DoorbellDay.generate()), committed,
                "regenerate src/main/resources/cost/doorbell-day.jsonl from DoorbellDay.generate()");
        List<DoorbellDay.Event> day = DoorbellDay.parse(committed.lines().toList());
        assertEquals(80, day.stream().filter(e -> e.kind().equals("visit")).count());
        assertEquals(40, day.stream().filter(e -> e.kind().equals("motion")).count());
    }

    @Test
    void aDoorbellDayOfEightyVisitsStaysWithinFiftyCentsAndDecidesTheVisits() {
        CostReport.Result r = CostReport.simulate(DoorbellDay.generate(), Pacing.DEFAULT, ImageSampling.DEFAULT.interval(),
                PRICES, new CostMeter.Budget(0.50, 2.00, 0.8));
        assertTrue(r.rekognitionUsd() <= 0.50, "$" + r.rekognitionUsd());
        assertTrue(r.visitsDecidable() >= 78, r.visitsDecidable() + " of 80 visits had two searched face frames");
        assertEquals(r.detectFaces() + r.searches(), Math.round(r.rekognitionUsd() / 0.001));
        assertEquals(172.80, r.streamProcessorDayUsd(), 1e-9, "24 h x 60 min x $0.12");
    }

    @Test
    void withoutABudgetThePacingAloneDecidesEveryVisitButOne() {
        CostReport.Result r = CostReport.simulate(DoorbellDay.generate(), Pacing.DEFAULT, Duration.ofSeconds(1), PRICES,
                new CostMeter.Budget(100, 100, 0.8));
        assertEquals(CostMeter.Level.NORMAL, r.worstLevel());
        assertTrue(r.visitsDecidable() >= 79, r.visitsDecidable() + " of 80");
        assertTrue(r.rekognitionUsd() < 0.55, "$" + r.rekognitionUsd());
    }

    @Test
    void stillDaysCostNothingButTheFramesFetched() {
        CostReport.Result r = CostReport.simulate(List.of(), Pacing.DEFAULT, Duration.ofSeconds(1), PRICES,
                new CostMeter.Budget(0.5, 2, 0.8));
        assertEquals(0, r.detectFaces() + r.searches());
        assertEquals(24 * 3600 / 5, r.getImages(), "one GetImages every idle poll (5 s)");
    }

    @Test
    void theCommandPrintsBothEnginesFigures() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, CostReport.run(List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("day: 80 visits, 40 motion events without a face"), text);
        assertTrue(text.contains("running all day                1440 min $172.80"), text);
    }
}
