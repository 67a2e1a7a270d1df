package dev.vigil.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.aws.AwsClients;
import dev.vigil.testing.KvsFake;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.InvalidArgumentException;

/** KvsMedia against the KVS fake: the exact requests sent, endpoint caching and reload, limits. */
class KvsMediaTest {

    static final String STREAM = "front-door";
    static final Instant T = Instant.parse("2026-11-25T14:00:00.400Z");
    static KvsFake kvs;
    static AwsClients aws;
    KvsMedia media;

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        kvs = KvsFake.start();
        aws = new AwsClients("us-east-1", null, Map.of("kinesisvideo", kvs.url()));
    }

    @AfterAll
    static void stop() {
        aws.close();
        kvs.close();
    }

    @BeforeEach
    void fresh() {
        kvs.reset();
        media = new KvsMedia(aws, Duration.ofSeconds(5));
    }

    static Instant seconds(JsonNode n) {
        return Instant.ofEpochMilli(new BigDecimal(n.asText()).movePointRight(3).longValue());
    }

    @Test
    void frameAtAsksGetImagesForOneJpegAtTheProducerTimestamp() throws Exception {
        byte[] jpeg = KvsFake.jpeg(640, 480, Color.DARK_GRAY, new Rectangle(100, 100, 80, 120), Color.ORANGE);
        kvs.frame(STREAM, T, jpeg);

        KvsMedia.Image image = media.frameAt(STREAM, T, KvsMedia.ImageSize.of(320, 240, 200_000));

        assertTrue(image.ok());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.jpeg()));
        assertEquals(320, decoded.getWidth());
        assertEquals(240, decoded.getHeight());
        JsonNode endpoint = kvs.requests("/getDataEndpoint").get(0);
        assertEquals(STREAM, endpoint.get("StreamName").asText());
        assertEquals("GET_IMAGES", endpoint.get("APIName").asText());
        JsonNode sent = kvs.requests("/getImages").get(0);
        assertEquals(STREAM, sent.get("StreamName").asText());
        assertEquals("PRODUCER_TIMESTAMP", sent.get("ImageSelectorType").asText());
        assertEquals("JPEG", sent.get("Format").asText());
        assertEquals(T, seconds(sent.get("StartTimestamp")));
        assertEquals(T.plusMillis(100), seconds(sent.get("EndTimestamp")), "shorter than the sampling interval: one image");
        assertTrue(sent.get("SamplingInterval").asInt() >= 200);
        assertEquals(320, sent.get("WidthPixels").asInt());
        assertEquals(240, sent.get("HeightPixels").asInt());
        assertEquals(1, sent.get("MaxResults").asInt());
    }

    @Test
    void originalSizeSendsNoPixelsAndReturnsTheFrameUnchanged() {
        byte[] jpeg = KvsFake.jpeg(200, 100);
        kvs.frame(STREAM, T, jpeg);
        KvsMedia.Image image = media.frameAt(STREAM, T, KvsMedia.ImageSize.ORIGINAL);
        assertArrayEquals(jpeg, image.jpeg());
        JsonNode sent = kvs.requests("/getImages").get(0);
        assertFalse(sent.has("WidthPixels"));
        assertFalse(sent.has("HeightPixels"));
    }

    @Test
    void noMediaAndMediaErrorComeBackAsErrorsNotExceptions() {
        kvs.stream(STREAM).brokenFrame(STREAM, T.plusSeconds(10));
        KvsMedia.Image none = media.frameAt(STREAM, T, KvsMedia.ImageSize.ORIGINAL);
        assertFalse(none.ok());
        assertEquals("NO_MEDIA", none.error());
        assertNull(none.jpeg());
        assertEquals("MEDIA_ERROR", media.frameAt(STREAM, T.plusSeconds(10), KvsMedia.ImageSize.ORIGINAL).error());
    }

    @Test
    void imagesLargerThanTheByteBoundAreRefused() {
        kvs.frame(STREAM, T, KvsFake.jpeg(640, 480));
        assertEquals("TOO_LARGE", media.frameAt(STREAM, T, new KvsMedia.ImageSize(null, null, 100)).error());
    }

    @Test
    void imagesFollowsNextTokenPagesAndSamplesAtTheInterval() {
        for (int i = 0; i < 40; i++) {
            kvs.frame(STREAM, T.plusMillis(500L * i), KvsFake.jpeg(64, 48, new Color(i * 5, 0, 0), null, null));
        }
        List<KvsMedia.Image> images = media.images(STREAM, T, T.plusSeconds(19), Duration.ofMillis(500), 30,
                KvsMedia.ImageSize.ORIGINAL);
        assertEquals(30, images.size());
        assertTrue(images.stream().allMatch(KvsMedia.Image::ok));
        assertEquals(T.plusMillis(500L * 29), images.get(29).time());
        assertEquals(1, kvs.requests("/getImages").size(), "30 fit one page of at most 100");
        List<KvsMedia.Image> all = media.images(STREAM, T, T.plusSeconds(60), Duration.ofMillis(200), 250,
                KvsMedia.ImageSize.ORIGINAL);
        assertEquals(250, all.size());
        List<JsonNode> sent = kvs.requests("/getImages");
        assertEquals(4, sent.size(), "pages of 100, 100, 50");
        assertTrue(sent.get(2).has("NextToken"));
        assertEquals(100, sent.get(2).get("MaxResults").asInt());
        assertEquals(50, sent.get(3).get("MaxResults").asInt());
    }

    @Test
    void theKvsLimitsAreCheckedBeforeCalling() {
        var size = KvsMedia.ImageSize.ORIGINAL;
        assertThrows(IllegalArgumentException.class,
                () -> media.images(STREAM, T, T.plusSeconds(301), Duration.ofSeconds(1), 10, size));
        assertThrows(IllegalArgumentException.class,
                () -> media.images(STREAM, T, T.plusSeconds(10), Duration.ofMillis(199), 10, size));
        assertThrows(IllegalArgumentException.class, () -> KvsMedia.ImageSize.of(4000, 2000, 10));
        assertThrows(IllegalArgumentException.class, () -> new KvsMedia.ImageSize(640, null, 10));
        assertThrows(IllegalArgumentException.class,
                () -> media.hlsOnDemand(STREAM, T, T.plusSeconds(30), Duration.ofSeconds(299)));
        assertThrows(IllegalArgumentException.class,
                () -> media.hlsOnDemand(STREAM, T, T.plusSeconds(30), Duration.ofSeconds(43201)));
        assertTrue(kvs.requests("/getImages").isEmpty());
        assertTrue(kvs.requests("/getHLSStreamingSessionURL").isEmpty());
    }

    @Test
    void dataEndpointsAreCachedPerStreamAndApi() {
        kvs.frame(STREAM, T, KvsFake.jpeg(64, 48));
        for (int i = 0; i < 5; i++) {
            assertTrue(media.frameAt(STREAM, T, KvsMedia.ImageSize.ORIGINAL).ok());
        }
        media.hlsOnDemand(STREAM, T.minusSeconds(5), T.plusSeconds(5), Duration.ofMinutes(10));
        media.hlsOnDemand(STREAM, T.minusSeconds(5), T.plusSeconds(5), Duration.ofMinutes(10));
        List<JsonNode> endpoints = kvs.requests("/getDataEndpoint");
        assertEquals(2, endpoints.size());
        assertEquals("GET_IMAGES", endpoints.get(0).get("APIName").asText());
        assertEquals("GET_HLS_STREAMING_SESSION_URL", endpoints.get(1).get("APIName").asText());
        assertEquals(5, kvs.requests("/getImages").size());
    }

    @Test
    void aDeadDataEndpointIsDroppedAndFetchedAgain() throws Exception {
        kvs.frame(STREAM, T, KvsFake.jpeg(64, 48));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        kvs.nextDataEndpoints("http://127.0.0.1:" + closed);

        assertTrue(media.frameAt(STREAM, T, KvsMedia.ImageSize.ORIGINAL).ok());
        assertEquals(2, kvs.requests("/getDataEndpoint").size(), "reloaded after the failure");
        assertTrue(media.frameAt(STREAM, T, KvsMedia.ImageSize.ORIGINAL).ok());
        assertEquals(2, kvs.requests("/getDataEndpoint").size(), "the fresh endpoint is cached");
    }

    @Test
    void aServerErrorDropsTheEndpointAndRetriesOnAFreshOne() {
        kvs.frame(STREAM, T, KvsFake.jpeg(64, 48));
        assertTrue(media.frameAt(STREAM, T, KvsMedia.ImageSize.ORIGINAL).ok());
        // the SDK retries a 500 itself; when all its attempts fail KvsMedia reloads the endpoint and tries once more
        kvs.failImages(1000, 500, "InternalFailure");
        assertThrows(software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.KinesisVideoArchivedMediaException.class,
                () -> media.frameAt(STREAM, T, KvsMedia.ImageSize.ORIGINAL));
        assertEquals(2, kvs.requests("/getDataEndpoint").size(), "reloaded once after the failed call");
        int attempts = kvs.requests("/getImages").size() - 1;
        assertTrue(attempts >= 2 && attempts % 2 == 0, "two rounds of SDK attempts, got " + attempts);
        assertEquals(0, media.cachedEndpoints(), "the failing endpoint is not kept");
    }

    @Test
    void aBadRequestIsNotRetriedAndKeepsNoStaleEndpoint() {
        kvs.frame(STREAM, T, KvsFake.jpeg(64, 48));
        kvs.failImages(1, 400, "InvalidArgumentException");
        assertThrows(InvalidArgumentException.class, () -> media.frameAt(STREAM, T, KvsMedia.ImageSize.ORIGINAL));
        assertEquals(1, kvs.requests("/getImages").size());
        assertEquals(0, media.cachedEndpoints());
    }

    @Test
    void getDataEndpointStaysWithinFivePerSecondPerStream() {
        kvs.frame(STREAM, T, KvsFake.jpeg(64, 48));
        // every call fails with a bad request, which drops the endpoint: each call needs a new GetDataEndpoint
        kvs.failImages(7, 400, "InvalidArgumentException");
        long start = System.nanoTime();
        for (int i = 0; i < 7; i++) {
            assertThrows(InvalidArgumentException.class, () -> media.frameAt(STREAM, T, KvsMedia.ImageSize.ORIGINAL));
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(7, kvs.requests("/getDataEndpoint").size());
        assertTrue(elapsedMs >= 900, "the 6th GetDataEndpoint waited for the 1 s window, took " + elapsedMs + " ms");
    }

    @Test
    void hlsOnDemandAsksForTheRangeAndExpiry() {
        kvs.stream(STREAM);
        var url = media.hlsOnDemand(STREAM, T.minusSeconds(5), T.plusSeconds(12), Duration.ofSeconds(900));
        JsonNode sent = kvs.requests("/getHLSStreamingSessionURL").get(0);
        assertEquals(STREAM, sent.get("StreamName").asText());
        assertEquals("ON_DEMAND", sent.get("PlaybackMode").asText());
        assertEquals("PRODUCER_TIMESTAMP", sent.at("/HLSFragmentSelector/FragmentSelectorType").asText());
        assertEquals(T.minusSeconds(5), seconds(sent.at("/HLSFragmentSelector/TimestampRange/StartTimestamp")));
        assertEquals(T.plusSeconds(12), seconds(sent.at("/HLSFragmentSelector/TimestampRange/EndTimestamp")));
        assertEquals(900, sent.get("Expires").asInt());
        assertTrue(url.toString().endsWith("SessionToken=" + kvs.sessionTokens().get(0)));
    }

    @Test
    void anUnknownStreamIsAResourceNotFound() {
        assertThrows(software.amazon.awssdk.services.kinesisvideo.model.ResourceNotFoundException.class,
                () -> media.frameAt("nope", T, KvsMedia.ImageSize.ORIGINAL));
    }
}
