package dev.vigil.engine;

import dev.vigil.config.Settings;
import dev.vigil.config.ImageSampling;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code vigil cost-report [FILE]}: replays a recorded day of motion at one camera (default: the bundled
 * {@link DoorbellDay}) through the image engine's own pacing ({@link EpisodePlanner}, {@link Pacing}) and
 * {@link CostMeter}, and compares its calls and dollars with the stream-processor engine for the same day.
 * It is a model of the sampler and the gate: which frames show motion and how many faces DetectFaces finds
 * come from the file, not from pixels (the gate itself is tested on real frames). Settings (prices, budgets,
 * pacing) are the vigil.image.* properties of config/application.properties.
 */
public final class CostReport {

    /** About $0.12 per minute of video a face-search stream processor analyses (../shared/docs/aws-facts.md section 6). */
    static final double STREAM_PROCESSOR_USD_PER_MINUTE = 0.12;

    /** What the day cost with the image engine. */
    public record Result(int visits, int otherEvents, long motionSeconds, int getImages, int detectFaces, int searches,
                         double rekognitionUsd, double totalUsd, int visitsDecidable, CostMeter.Level worstLevel,
                         double streamProcessorDayUsd, long motionMinutesRoundedUp) {
    }

    private CostReport() {
    }

    public static int run(List<String> args, PrintStream out) throws IOException {
        if (args.size() > 1) {
            throw new IllegalArgumentException("cost-report takes at most one FILE (a .jsonl day of motion events)");
        }
        List<DoorbellDay.Event> events;
        String name;
        if (args.isEmpty()) {
            try (InputStream in = CostReport.class.getClassLoader().getResourceAsStream(DoorbellDay.RESOURCE)) {
                events = DoorbellDay.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
            name = "bundled " + DoorbellDay.RESOURCE;
        } else {
            Path file = Path.of(args.get(0));
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(file + " cannot be read");
            }
            events = DoorbellDay.parse(Files.readAllLines(file));
            name = file.toString();
        }
        Settings props = settings();
        Result r = simulate(events, ImageEngineConfiguration.pacing(props), ImageSampling.DEFAULT.interval(),
                ImageEngineConfiguration.prices(props), ImageEngineConfiguration.budget(props));
        print(name, r, out);
        return 0;
    }

    /** The day through the engine's pacing: polls, frames every {@code interval}, calls as the planner decides. */
    public static Result simulate(List<DoorbellDay.Event> events, Pacing pacing, Duration interval, CostMeter.Prices prices,
                                  CostMeter.Budget budget) {
        CostMeter costs = new CostMeter(prices, budget, Map.of(), DoorbellDay.ZONE, new SimpleMeterRegistry());
        EpisodePlanner planner = new EpisodePlanner(pacing);
        String camera = "front-door";
        Instant dayStart = events.isEmpty() ? DoorbellDay.DAY.atStartOfDay(DoorbellDay.ZONE).toInstant()
                : events.get(0).start().atZone(DoorbellDay.ZONE).toLocalDate().atStartOfDay(DoorbellDay.ZONE).toInstant();
        Instant dayEnd = dayStart.plus(Duration.ofDays(1));
        int[] searchedFaceFrames = new int[events.size()];
        CostMeter.Level worst = CostMeter.Level.NORMAL;
        int next = 0;
        Instant fetched = dayStart;
        Instant now = dayStart;
        while (now.isBefore(dayEnd)) {
            CostMeter.Level level = costs.level(camera, now);
            costs.charge(camera, CostMeter.Api.GET_IMAGES, 1, now);
            Duration step = pacing.slowed(interval, level);
            for (Instant t = fetched.plus(step); !t.isAfter(now); t = t.plus(step)) {
                fetched = t;
                while (next < events.size() && !events.get(next).start().plus(Duration.ofSeconds(events.get(next).seconds())).isAfter(t)) {
                    next++;
                }
                int at = eventAt(events, next, t);
                boolean motion = at >= 0;
                level = costs.level(camera, t);
                worst = level.ordinal() > worst.ordinal() ? level : worst;
                if (planner.onFrame(t, motion, level) == EpisodePlanner.Action.DETECT) {
                    costs.charge(camera, CostMeter.Api.DETECT_FACES, 1, t);
                    int faces = facesAt(events.get(at), t);
                    costs.charge(camera, CostMeter.Api.SEARCH_FACES_BY_IMAGE, faces, t);
                    planner.detected(t, faces);
                    searchedFaceFrames[at] += faces > 0 ? 1 : 0;
                }
            }
            now = now.plus(planner.pollEvery(now, costs.level(camera, now)));
        }
        int visits = 0;
        int decidable = 0;
        long motionSeconds = 0;
        long minutes = 0;
        for (int i = 0; i < events.size(); i++) {
            DoorbellDay.Event e = events.get(i);
            motionSeconds += e.seconds();
            minutes += (e.seconds() + 59) / 60;
            if (e.kind().equals("visit")) {
                visits++;
                decidable += searchedFaceFrames[i] >= 2 ? 1 : 0;
            }
        }
        int detect = costs.callsToday(camera, CostMeter.Api.DETECT_FACES);
        int search = costs.callsToday(camera, CostMeter.Api.SEARCH_FACES_BY_IMAGE);
        return new Result(visits, events.size() - visits, motionSeconds, costs.callsToday(camera, CostMeter.Api.GET_IMAGES),
                detect, search, (detect + search) * prices.rekognitionImage(), costs.spentToday(camera), decidable, worst,
                24 * 60 * STREAM_PROCESSOR_USD_PER_MINUTE, minutes);
    }

    private static int eventAt(List<DoorbellDay.Event> events, int from, Instant t) {
        for (int i = from; i < events.size() && !events.get(i).start().isAfter(t); i++) {
            DoorbellDay.Event e = events.get(i);
            if (t.isBefore(e.start().plusSeconds(e.seconds()))) {
                return i;
            }
        }
        return -1;
    }

    private static int facesAt(DoorbellDay.Event e, Instant t) {
        long s = Duration.between(e.start(), t).toSeconds();
        return s >= e.approach() && s < e.approach() + e.face() ? e.faces() : 0;
    }

    static void print(String name, Result r, PrintStream out) {
        List<String> lines = new ArrayList<>();
        lines.add("cost report: " + name);
        lines.add(String.format(Locale.ROOT, "day: %d visits, %d motion events without a face, %d min %d s of motion",
                r.visits(), r.otherEvents(), r.motionSeconds() / 60, r.motionSeconds() % 60));
        lines.add("");
        lines.add("image engine (model: the engine's pacing and cost meter; motion and faces per frame from the file)");
        lines.add(String.format(Locale.ROOT, "  GetImages calls             %7d   (price not published; counted at the configured $/call)", r.getImages()));
        lines.add(String.format(Locale.ROOT, "  DetectFaces images          %7d", r.detectFaces()));
        lines.add(String.format(Locale.ROOT, "  SearchFacesByImage images   %7d", r.searches()));
        lines.add(String.format(Locale.ROOT, "  Rekognition images          %7d   $%.3f", r.detectFaces() + r.searches(), r.rekognitionUsd()));
        lines.add(String.format(Locale.ROOT, "  estimated total             %7s   $%.3f", "", r.totalUsd()));
        lines.add(String.format(Locale.ROOT, "  visits with 2+ searched face frames (enough to decide): %d of %d", r.visitsDecidable(), r.visits()));
        lines.add("  budget level reached: " + r.worstLevel().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "stream-processor engine ($%.2f per minute analysed)", STREAM_PROCESSOR_USD_PER_MINUTE));
        lines.add(String.format(Locale.ROOT, "  running all day             %7d min $%.2f", 24 * 60, r.streamProcessorDayUsd()));
        lines.add(String.format(Locale.ROOT, "  only during motion (bound)  %7d min $%.2f", r.motionMinutesRoundedUp(),
                r.motionMinutesRoundedUp() * STREAM_PROCESSOR_USD_PER_MINUTE));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "image engine / stream processor all day: 1 : %.0f", r.streamProcessorDayUsd() / Math.max(1e-9, r.rekognitionUsd())));
        lines.forEach(out::println);
    }


    /** config/application.properties (the working directory's copy, else the packaged one), then VIGIL_* variables. */
    private static Settings settings() throws IOException {
        Properties p = new Properties();
        Path local = Path.of("config/application.properties");
        try (InputStream in = Files.isReadable(local) ? Files.newInputStream(local)
                : CostReport.class.getClassLoader().getResourceAsStream("config/application.properties")) {
            p.load(in);
        }
        return new Settings(key -> {
            String env = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            return env != null && !env.isBlank() ? env : p.getProperty(key);
        });
    }


}
