package dev.vigil.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;

/**
 * A faithful HTTP fake of Kinesis Video Streams for the calls Vigil makes, on 127.0.0.1 with a dynamic port
 * (WireMock). Both planes answer on the same port: the control plane's {@code POST /getDataEndpoint}
 * returns this fake's own URL, and the archived-media plane answers {@code POST /getImages} and
 * {@code POST /getHLSStreamingSessionURL} in the REST-JSON shapes of the AWS API reference (timestamps as
 * epoch seconds, {@code Images[]{TimeStamp, Error, ImageContent}}, {@code NextToken}; errors as 4xx with
 * {@code x-amzn-ErrorType} and {@code {"Message": ...}}).
 *
 * <p>Tests put frames (real JPEGs, see {@link #jpeg}) at producer timestamps. GetImages samples from
 * StartTimestamp to EndTimestamp every SamplingInterval; each sample shows the latest frame at or before
 * it that is younger than {@link #frameSpan} (one second by default), else {@code Error: NO_MEDIA}. When
 * WidthPixels/HeightPixels are given the frame is scaled to them. The fake enforces the KVS limits (range
 * <= 300 s, sampling 200-20000 ms, MaxResults 1-100, HLS Expires 300-43200 s, ON_DEMAND within 24 h).
 */
public final class KvsFake implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, NavigableMap<Instant, byte[]>> streams = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> nextDataEndpoints = new ConcurrentLinkedQueue<>();
    private record Failure(int status, String type) {
    }

    private final ConcurrentLinkedQueue<Failure> imageFailures = new ConcurrentLinkedQueue<>();
    private final List<String> sessionTokens = new CopyOnWriteArrayList<>();
    private volatile Duration frameSpan = Duration.ofSeconds(1);
    private volatile Duration imagesDelay = Duration.ZERO;
    private volatile Duration hlsDelay = Duration.ZERO;
    private final WireMockServer server;

    private KvsFake() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new Answer()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
    }

    private static KvsFake shared;

    /** One fake per test JVM, like Moto: started on first use with emulator credentials set, closed at exit; tests reset() it. */
    public static synchronized KvsFake shared() {
        if (shared == null) {
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
            shared = start();
            KvsFake fake = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(fake::close));
        }
        return shared;
    }

    public static KvsFake start() {
        return new KvsFake();
    }

    /** The base URL of both planes, e.g. for {@code vigil.aws.endpoints.kinesisvideo}. */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public WireMockServer server() {
        return server;
    }

    /** Makes {@code stream} exist (with no media yet). Streams that do not exist answer 404 ResourceNotFoundException. */
    public KvsFake stream(String stream) {
        streams.computeIfAbsent(stream, s -> new ConcurrentSkipListMap<>());
        return this;
    }

    /** A frame of {@code stream} at producer timestamp {@code time}. */
    public KvsFake frame(String stream, Instant time, byte[] jpeg) {
        stream(stream);
        streams.get(stream).put(time, jpeg);
        return this;
    }

    /** A frame KVS cannot decode: samples showing it answer {@code Error: MEDIA_ERROR}. */
    public KvsFake brokenFrame(String stream, Instant time) {
        return frame(stream, time, new byte[0]);
    }

    /** How long a frame stays visible to later samples (like a video frame until the next one). */
    public KvsFake frameSpan(Duration span) {
        this.frameSpan = span;
        return this;
    }

    /** Every GetImages answer waits this long first. */
    public KvsFake delayImages(Duration delay) {
        this.imagesDelay = delay;
        return this;
    }

    /** Every GetHLSStreamingSessionURL answer waits this long first. */
    public KvsFake delayHls(Duration delay) {
        this.hlsDelay = delay;
        return this;
    }

    /** The next GetDataEndpoint answers hand out these URLs (e.g. a closed port), then this fake's own again. */
    public KvsFake nextDataEndpoints(String... urls) {
        nextDataEndpoints.addAll(List.of(urls));
        return this;
    }

    /** The next {@code times} GetImages calls fail with this HTTP status and AWS error type. */
    public KvsFake failImages(int times, int status, String errorType) {
        for (int i = 0; i < times; i++) {
            imageFailures.add(new Failure(status, errorType));
        }
        return this;
    }

    /** The session tokens handed out in HLS URLs so far (to check they never show up in logs). */
    public List<String> sessionTokens() {
        return List.copyOf(sessionTokens);
    }

    /** The JSON bodies received on {@code path} ("/getDataEndpoint", "/getImages", ...), oldest first. */
    public List<JsonNode> requests(String path) {
        List<JsonNode> out = new ArrayList<>();
        server.findAll(postRequestedFor(urlPathEqualTo(path))).forEach(r -> out.add(parse(r.getBodyAsString())));
        return out;
    }

    /** Forgets frames, streams, queued behaviour and the request journal. */
    public void reset() {
        streams.clear();
        nextDataEndpoints.clear();
        imageFailures.clear();
        sessionTokens.clear();
        imagesDelay = Duration.ZERO;
        hlsDelay = Duration.ZERO;
        frameSpan = Duration.ofSeconds(1);
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A real JPEG: a flat background with an optional filled rectangle (a "moving shape" when moved). */
    public static byte[] jpeg(int width, int height, Color background, Rectangle shape, Color shapeColor) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, width, height);
        if (shape != null) {
            g.setColor(shapeColor);
            g.fill(shape);
        }
        g.dispose();
        return write(image);
    }

    public static byte[] jpeg(int width, int height) {
        return jpeg(width, height, new Color(90, 110, 130), null, null);
    }

    private static byte[] write(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "jpg", out)) {
                throw new IllegalStateException("no JPEG writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] scale(byte[] jpeg, int width, int height) {
        try {
            BufferedImage in = ImageIO.read(new ByteArrayInputStream(jpeg));
            BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(in, 0, 0, width, height, null);
            g.dispose();
            return write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(JsonNode n) {
        return Instant.ofEpochMilli(new BigDecimal(n.asText()).movePointRight(3).longValue());
    }

    private static BigDecimal seconds(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
    }

    // ---------------------------------------------------------------- answers

    private final class Answer implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "kvs-fake";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var request = event.getRequest();
            String path = request.getUrl().replaceAll("\\?.*", "");
            if (!"POST".equals(request.getMethod().getName())) {
                return error(404, "ResourceNotFoundException", "no such operation");
            }
            JsonNode body;
            try {
                body = JSON.readTree(request.getBodyAsString());
            } catch (IOException e) {
                return error(400, "InvalidArgumentException", "body is not JSON");
            }
            return switch (path) {
                case "/getDataEndpoint" -> dataEndpoint(body);
                case "/getImages" -> images(body);
                case "/getHLSStreamingSessionURL" -> hls(body);
                default -> error(404, "ResourceNotFoundException", "no such operation " + path);
            };
        }
    }

    private ResponseDefinition dataEndpoint(JsonNode body) {
        String api = body.path("APIName").asText();
        if (!Set.of("PUT_MEDIA", "GET_MEDIA", "LIST_FRAGMENTS", "GET_MEDIA_FOR_FRAGMENT_LIST", "GET_HLS_STREAMING_SESSION_URL",
                "GET_DASH_STREAMING_SESSION_URL", "GET_CLIP", "GET_IMAGES").contains(api)) {
            return error(400, "InvalidArgumentException", "1 validation error detected: Value '" + api
                    + "' at 'aPIName' failed to satisfy constraint");
        }
        ResponseDefinition missing = missingStream(body);
        if (missing != null) {
            return error(404, "ResourceNotFoundException", "The requested stream is not found or not active.");
        }
        String next = nextDataEndpoints.poll();
        ObjectNode out = JSON.createObjectNode().put("DataEndpoint", next != null ? next : url());
        return json(200, out, Duration.ZERO);
    }

    private ResponseDefinition missingStream(JsonNode body) {
        String stream = body.path("StreamName").asText(null);
        if (stream == null || !streams.containsKey(stream)) {
            return error(404, "ResourceNotFoundException", "The requested stream is not found or not active.");
        }
        return null;
    }

    private ResponseDefinition images(JsonNode body) {
        Failure failure = imageFailures.poll();
        if (failure != null) {
            return error(failure.status(), failure.type(), "injected failure");
        }
        ResponseDefinition missing = missingStream(body);
        if (missing != null) {
            return missing;
        }
        String selector = body.path("ImageSelectorType").asText();
        if (!selector.equals("PRODUCER_TIMESTAMP") && !selector.equals("SERVER_TIMESTAMP")) {
            return error(400, "InvalidArgumentException", "ImageSelectorType must be PRODUCER_TIMESTAMP or SERVER_TIMESTAMP");
        }
        String format = body.path("Format").asText();
        if (!format.equals("JPEG") && !format.equals("PNG")) {
            return error(400, "InvalidArgumentException", "Format must be JPEG or PNG");
        }
        if (!body.hasNonNull("StartTimestamp") || !body.hasNonNull("EndTimestamp")) {
            return error(400, "InvalidArgumentException", "StartTimestamp and EndTimestamp are required");
        }
        Instant start = instant(body.get("StartTimestamp"));
        Instant end = instant(body.get("EndTimestamp"));
        if (end.isBefore(start) || Duration.between(start, end).compareTo(Duration.ofSeconds(300)) > 0) {
            return error(400, "InvalidArgumentException", "The time range must be at most 300 seconds");
        }
        long interval = body.path("SamplingInterval").asLong(3000);
        if (interval < 200 || interval > 20000) {
            return error(400, "InvalidArgumentException", "SamplingInterval must be between 200 and 20000 ms");
        }
        long maxResults = body.path("MaxResults").asLong(25);
        if (maxResults < 1 || maxResults > 100) {
            return error(400, "InvalidArgumentException", "MaxResults must be between 1 and 100");
        }
        Integer width = body.hasNonNull("WidthPixels") ? body.get("WidthPixels").asInt() : null;
        Integer height = body.hasNonNull("HeightPixels") ? body.get("HeightPixels").asInt() : null;
        if ((width != null && (width < 1 || width > 3840)) || (height != null && (height < 1 || height > 2160))) {
            return error(400, "InvalidArgumentException", "WidthPixels must be 1-3840 and HeightPixels 1-2160");
        }
        long first = body.hasNonNull("NextToken") ? Long.parseLong(new String(Base64.getDecoder()
                .decode(body.get("NextToken").asText()))) : 0;
        NavigableMap<Instant, byte[]> frames = streams.get(body.get("StreamName").asText());
        ArrayNode images = JSON.createArrayNode();
        long index = first;
        for (; images.size() < maxResults; index++) {
            Instant t = start.plusMillis(index * interval);
            if (t.isAfter(end)) {
                break;
            }
            ObjectNode image = images.addObject().put("TimeStamp", seconds(t));
            var frame = frames.floorEntry(t);
            if (frame == null || Duration.between(frame.getKey(), t).compareTo(frameSpan) >= 0) {
                image.put("Error", "NO_MEDIA");
            } else if (frame.getValue().length == 0) {
                image.put("Error", "MEDIA_ERROR");
            } else {
                byte[] jpeg = frame.getValue();
                if (width != null || height != null) {
                    jpeg = scaled(jpeg, width, height);
                }
                image.put("ImageContent", Base64.getEncoder().encodeToString(jpeg));
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("Images", images);
        if (!start.plusMillis(index * interval).isAfter(end)) {
            out.put("NextToken", Base64.getEncoder().encodeToString(Long.toString(index).getBytes()));
        }
        return json(200, out, imagesDelay);
    }

    private static byte[] scaled(byte[] jpeg, Integer width, Integer height) {
        try {
            BufferedImage in = ImageIO.read(new ByteArrayInputStream(jpeg));
            int w = width != null ? width : Math.max(1, in.getWidth() * height / in.getHeight());
            int h = height != null ? height : Math.max(1, in.getHeight() * width / in.getWidth());
            return scale(jpeg, w, h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ResponseDefinition hls(JsonNode body) {
        ResponseDefinition missing = missingStream(body);
        if (missing != null) {
            return missing;
        }
        String mode = body.path("PlaybackMode").asText("LIVE");
        long expires = body.path("Expires").asLong(300);
        if (expires < 300 || expires > 43200) {
            return error(400, "InvalidArgumentException", "Expires must be between 300 and 43200 seconds");
        }
        if (mode.equals("ON_DEMAND")) {
            JsonNode range = body.path("HLSFragmentSelector").path("TimestampRange");
            if (!range.hasNonNull("StartTimestamp") || !range.hasNonNull("EndTimestamp")) {
                return error(400, "InvalidArgumentException", "ON_DEMAND needs HLSFragmentSelector.TimestampRange");
            }
            Instant start = instant(range.get("StartTimestamp"));
            Instant end = instant(range.get("EndTimestamp"));
            if (!end.isAfter(start) || Duration.between(start, end).compareTo(Duration.ofHours(24)) > 0) {
                return error(400, "InvalidArgumentException", "The ON_DEMAND time range must be within 24 hours");
            }
        }
        byte[] raw = new byte[48];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        sessionTokens.add(token);
        ObjectNode out = JSON.createObjectNode().put("HLSStreamingSessionURL",
                url() + "/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken=" + token);
        return json(200, out, hlsDelay);
    }

    private static ResponseDefinition json(int status, JsonNode body, Duration delay) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body.toString());
        if (!delay.isZero()) {
            b.withFixedDelay((int) delay.toMillis());
        }
        return b.build();
    }

    private static ResponseDefinition error(int status, String type, String message) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.kinesis.video.v20170930/")
                .withBody(JSON.createObjectNode().put("Message", message).toString()).build();
    }
}
