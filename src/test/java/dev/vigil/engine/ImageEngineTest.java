package dev.vigil.engine;

import dev.vigil.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.aws.AwsClients;
import dev.vigil.config.Household;
import dev.vigil.config.ImageSampling;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertType;
import dev.vigil.model.FaceObservation;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.testing.ImageFakes;
import dev.vigil.testing.KvsFake;
import dev.vigil.testing.ImageSearchFake;
import dev.vigil.testing.ImageSearchFake.FaceSpec;
import dev.vigil.testing.Scenes;
import dev.vigil.video.KvsMedia;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image engine against the KVS and Rekognition fakes, on real JPEG frames: which frames cost a
 * Rekognition call, the requests sent, and the budget steps. The clock is the test's, the HTTP is real.
 */
class ImageEngineTest {

    static final String STREAM = "front-door-cam";
    static final Instant T0 = Instant.parse("2026-11-25T15:00:00Z");
    @org.junit.jupiter.api.extension.RegisterExtension
    static final ImageFakes FAKES = new ImageFakes(new ImageSearchFake().face(FaceSpec.known(Scenes.ALICE, "alice", 99.4))
                .face(FaceSpec.stranger(Scenes.STRANGER)).face(FaceSpec.unsearchable(Scenes.BLURRY)));
    static final KvsFake kvs = FAKES.kvs;
    static final ImageSearchFake rekognition = FAKES.rekognition;
    static AwsClients aws;

    final MutableClock clock = new MutableClock(T0);
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeAll
    static void start() {
        aws = new AwsClients("us-east-1", null, Map.of("kinesisvideo", kvs.url(), "rekognition", rekognition.url()));
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Test
    void stillFramesCostNoRekognitionCall() {
        stillUntil(30);
        ImageEngine engine = engine(null);

        List<Object> out = runUntil(engine, 30);

        assertTrue(out.isEmpty(), out.toString());
        assertEquals(List.of(), rekognition.calls(), "the motion gate lets no still frame through");
        assertTrue(kvs.requests("/getImages").size() >= 5, "frames were fetched all along");
        assertTrue(metrics.counter("vigil.image.frames", "camera", "front-door", "result", "still").count() >= 25);
        assertEquals(0, metrics.counter("vigil.image.frames", "camera", "front-door", "result", "motion").count());
    }

    @Test
    void motionCallsDetectFacesAndSearchesEachFaceOfATwoFaceFrameOnItsOwnCrop() {
        stillUntil(5);
        for (int s = 6; s <= 20; s++) {
            frame(s, concat(Scenes.person(60 + 8 * s, Scenes.ALICE), Scenes.person(250 + 6 * s, Scenes.STRANGER)));
        }
        ImageEngine engine = engine(null);

        List<Object> out = runUntil(engine, 20);

        List<ImageSearchFake.Call> detects = rekognition.calls("DetectFaces");
        List<ImageSearchFake.Call> searches = rekognition.calls("SearchFacesByImage");
        assertEquals(2, detects.size(), "DetectFaces 2 s into the motion, once more to confirm, then a pause");
        assertEquals(2 * detects.size(), searches.size(), "one search per face, not one per frame");
        for (ImageSearchFake.Call c : rekognition.calls()) {
            assertEquals("application/x-amz-json-1.1", c.contentType());
        }
        JsonNode detect = detects.get(0).body();
        assertEquals("DEFAULT", detect.get("Attributes").get(0).asText());
        assertEquals(Scenes.WIDTH, detects.get(0).image().getWidth(), "the whole frame goes to DetectFaces");
        JsonNode search = searches.get(0).body();
        assertEquals("vigil-household", search.get("CollectionId").asText());
        assertEquals(80.0, search.get("FaceMatchThreshold").asDouble());
        assertEquals(3, search.get("MaxFaces").asInt());
        assertTrue(searches.get(0).image().getWidth() < Scenes.WIDTH / 3, "a crop, not the frame");
        assertNotEquals(dominant(searches.get(0)), dominant(searches.get(1)), "each crop holds a different face");

        List<FaceObservation> observations = out.stream().map(FaceObservation.class::cast).toList();
        assertEquals(4, observations.size());
        FaceObservation alice = observations.get(0);
        FaceObservation stranger = observations.get(1);
        assertEquals(STREAM, alice.cameraKey());
        assertEquals(T0.plusSeconds(8), alice.frameTime(), "the frame time is GetImages' TimeStamp");
        assertEquals(2, alice.facesInFrame());
        assertEquals(0, alice.faceIndex());
        assertEquals(1, stranger.faceIndex());
        assertEquals("alice", alice.bestMatch().personId());
        assertEquals(99.4, alice.bestMatch().similarity());
        assertNull(stranger.bestMatch(), "the stranger's crop matched nothing: alice's face was not in it");
        assertEquals(99.99, alice.face().confidence());
        assertEquals(70.0, alice.face().brightness());
        assertEquals(3.5, alice.face().yaw());
        assertEquals(Source.IMAGE, alice.source().engine());
        assertNull(alice.source().fragmentNumber());
        double left = alice.face().box().left() * Scenes.WIDTH;
        assertEquals(60 + 8 * 8 + 15, left, 3, "the box is DetectFaces' box in the frame");
        assertEquals(2, metrics.counter("vigil.rekognition.calls", "camera", "front-door", "api", "DetectFaces").count());
        assertEquals(4, metrics.counter("vigil.rekognition.calls", "camera", "front-door", "api", "SearchFacesByImage").count());
        assertEquals(0.006, costs.spentToday("front-door"), 1e-9, "2 DetectFaces + 4 searches at $0.001");
    }

    @Test
    void aFaceRekognitionFindsNoFaceInIsAnUnmatchedObservationAndTheEngineCarriesOn() {
        stillUntil(5);
        for (int s = 6; s <= 12; s++) {
            frame(s, concat(Scenes.person(60 + 8 * s, Scenes.BLURRY), Scenes.person(300 + 6 * s, Scenes.ALICE)));
        }
        ImageEngine engine = engine(null);

        List<Object> out = runUntil(engine, 12);

        List<FaceObservation> observations = out.stream().map(FaceObservation.class::cast).toList();
        assertTrue(observations.size() >= 4, observations.toString());
        assertNull(observations.get(0).bestMatch(), "InvalidParameterException: no match, not a failure");
        assertEquals("alice", observations.get(1).bestMatch().personId(), "the next face of the frame is still searched");
        assertEquals(0, metrics.find("vigil.image.errors").counters().size(), "not an error");
    }

    @Test
    void aReachedBudgetSlowsSamplingThenStopsIdentityChecksAndSaysSoOnce() {
        stillUntil(5);
        for (int s = 6; s <= 90; s++) {
            frame(s, Scenes.person(100 + 30 * (s % 10), Scenes.ALICE)); // pacing up and down the path
        }
        ImageEngine engine = engine(0.004); // slow at $0.002, motion only at $0.004

        List<Object> out = runUntil(engine, 90);

        assertEquals(4, rekognition.calls().size(), "2 frames (DetectFaces + 1 search each), then no more calls");
        List<Alert> alerts = out.stream().filter(Alert.class::isInstance).map(Alert.class::cast).toList();
        assertEquals(List.of(AlertType.BUDGET_REACHED, AlertType.BUDGET_REACHED, AlertType.MOTION),
                alerts.stream().map(Alert::type).toList(), "one alert per step, one motion alert for the one episode");
        assertTrue(alerts.get(0).reason().contains("sampling every 4s instead of 1s"), alerts.get(0).reason());
        assertTrue(alerts.get(1).reason().contains("no face checks until midnight"), alerts.get(1).reason());
        assertEquals(Severity.WARNING, alerts.get(0).severity());
        assertEquals(Severity.INFO, alerts.get(2).severity());
        assertNull(alerts.get(2).person());
        assertEquals(2, metrics.find("vigil.image.budget.level").tag("camera", "front-door").gauge().value());
        long slowGap = gapBetweenGetImages(25, 40);
        assertTrue(slowGap >= 4, "slow sampling polls every 4 s or more, saw " + slowGap);
    }

    @Test
    void aFrameStillThrottledAfterTheSdkRetriesIsSearchedAgainAtTheNextPollAndEveryThrottleIsCounted() {
        stillUntil(5);
        for (int s = 6; s <= 20; s++) {
            frame(s, Scenes.person(100 + 30 * (s % 10), Scenes.ALICE));
        }
        rekognition.throttle("SearchFacesByImage", 5, "ThrottlingException"); // 5 > the SDK's 3 attempts
        try (AwsClients throttled = quickRetries()) {
            List<Object> out = runUntil(engine(null, throttled), 20);

            List<FaceObservation> observations = out.stream().map(FaceObservation.class::cast).toList();
            assertEquals(T0.plusSeconds(8), observations.get(0).frameTime(), "the throttled frame itself, not a later one");
            assertEquals("alice", observations.get(0).bestMatch().personId());
            assertEquals(5, rekognition.throttledCalls("SearchFacesByImage"));
            assertEquals(5, metrics.counter("vigil.aws.throttled", "service", "Rekognition", "operation",
                    "SearchFacesByImage").count(), "each throttled attempt counted once");
            assertEquals(4, metrics.counter("vigil.aws.retries", "service", "Rekognition", "operation",
                    "SearchFacesByImage").count(), "the SDK's retries: 2 in the call that gave up, 2 in the next");
            double deferred = metrics.counter("vigil.image.frames", "camera", "front-door", "result", "deferred").count();
            assertTrue(deferred >= 1, "the throttled frame (and any newer one of its poll) waited");
            assertEquals(deferred, metrics.counter("vigil.image.frames", "camera", "front-door", "result",
                    "searched_late").count(), "every frame that waited was searched at the next poll");
            assertEquals(0, metrics.counter("vigil.image.frames", "camera", "front-door", "result", "dropped").count());
        }
    }

    @Test
    void framesRekognitionKeepsRefusingWaitAtMostFiveDeepThenAreDroppedAndCounted() {
        stillUntil(5);
        for (int s = 6; s <= 60; s++) {
            frame(s, Scenes.person(100 + 30 * (s % 10), Scenes.ALICE));
        }
        rekognition.throttle("DetectFaces", 10_000, "ProvisionedThroughputExceededException");
        try (AwsClients throttled = quickRetries()) {
            List<Object> out = runUntil(engine(null, throttled), 60);

            assertEquals(List.of(), out, "nothing searched");
            double dropped = metrics.counter("vigil.image.frames", "camera", "front-door", "result", "dropped").count();
            double deferred = metrics.counter("vigil.image.frames", "camera", "front-door", "result", "deferred").count();
            assertTrue(dropped >= 1, "the oldest waiting frames dropped: " + dropped);
            assertTrue(deferred - dropped <= DeferredFrames.MAX, "at most 5 wait: " + deferred + " - " + dropped);
            assertEquals(rekognition.throttledCalls("DetectFaces"), metrics.counter("vigil.aws.throttled", "service",
                    "Rekognition", "operation", "DetectFaces").count());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Clients of the fakes with the SDK's retries compressed to milliseconds, counting throttles in the test's registry. */
    private AwsClients quickRetries() {
        return new AwsClients("us-east-1", null, Map.of("kinesisvideo", kvs.url(), "rekognition", rekognition.url()))
                .retrying(new AwsClients.Retry(3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5)))
                .countingIn(metrics);
    }

    private ImageEngine engine(Double budget) {
        return engine(budget, aws);
    }

    private ImageEngine engine(Double budget, AwsClients aws) {
        Household.Camera camera = new Household.Camera("front-door", "Front door", "Porch", STREAM, null, null,
                Household.Engine.IMAGE, new ImageSampling(Duration.ofSeconds(1), 0.5, List.of(), budget), null, null);
        CostMeter costs = new CostMeter(new CostMeter.Prices(0.001, 0), new CostMeter.Budget(0.5, 2.0, 0.5),
                budget == null ? Map.of() : Map.of("front-door", budget), ZoneId.of("Europe/London"), metrics);
        this.costs = costs;
        FaceSearch search = new FaceSearch(aws::rekognition, "vigil-household", 80f, 3, 0.3, costs);
        return new ImageEngine(List.of(camera), Pacing.DEFAULT,
                new ImageEngine.Sampling(Duration.ZERO, Duration.ofSeconds(30), KvsMedia.ImageSize.ORIGINAL),
                new KvsMedia(aws, Duration.ofSeconds(5)), search, costs,
                new EngineAlerts(Pacing.DEFAULT, Duration.ofMinutes(15), Severity.INFO), new StreamArns(aws::kinesisVideo),
                clock, metrics);
    }

    private CostMeter costs;

    /** Advances the clock a second at a time, polling whenever the camera is due. */
    private List<Object> runUntil(ImageEngine engine, int second) {
        List<Object> out = new ArrayList<>();
        for (int s = 5; s <= second; s++) {
            clock.set(T0.plusSeconds(s));
            if (engine.dueCameras().contains("front-door")) {
                out.addAll(engine.sample("front-door"));
            }
        }
        return out;
    }

    private long gapBetweenGetImages(int from, int to) {
        List<Long> starts = kvs.requests("/getImages").stream()
                .map(n -> (long) Double.parseDouble(n.get("EndTimestamp").asText()) - T0.getEpochSecond())
                .filter(s -> s >= from && s <= to).toList();
        long min = Long.MAX_VALUE;
        for (int i = 1; i < starts.size(); i++) {
            min = Math.min(min, starts.get(i) - starts.get(i - 1));
        }
        return min;
    }

    private void stillUntil(int second) {
        for (int s = 0; s <= second; s++) {
            frame(s);
        }
    }

    private void frame(int second, Scenes.Shape... shapes) {
        kvs.frame(STREAM, T0.plusSeconds(second), Scenes.frame(second, shapes));
    }

    private static Scenes.Shape[] concat(Scenes.Shape[] a, Scenes.Shape[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(Scenes.Shape[]::new);
    }

    /** The face colour with most pixels in a search's crop. */
    private static Color dominant(ImageSearchFake.Call call) {
        var image = call.image();
        int alice = 0;
        int stranger = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                alice += c.getRed() > 170 && c.getGreen() < 90 && c.getBlue() < 90 ? 1 : 0;
                stranger += c.getBlue() > 170 && c.getRed() < 90 && c.getGreen() < 90 ? 1 : 0;
            }
        }
        return alice > stranger ? Scenes.ALICE : Scenes.STRANGER;
    }

}
