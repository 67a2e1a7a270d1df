package dev.vigil.video;

import dev.vigil.aws.AwsClients;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Format;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FormatConfigKey;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetImagesRequest;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetImagesResponse;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ImageSelectorType;

/**
 * Reads a camera's Kinesis Video stream for enrichment and sampling: frames as JPEG (GetImages) and HLS
 * on-demand playback URLs (GetHLSStreamingSessionURL). Data-plane calls go to the endpoint GetDataEndpoint
 * names for each stream and API; endpoints are cached, dropped when a call to them fails, and fetched at
 * most 5 times a second per stream (the GetDataEndpoint limit). Thread-safe; one instance per runtime.
 *
 * <p>The limits AWS enforces are checked here first, so a bad request fails with a clear message instead of
 * a round trip: GetImages ranges at most 300 s, sampling at least 200 ms, HLS expiry 300-43200 s and an
 * on-demand range within 24 h. HLS URLs carry a session token: callers must treat them as secrets.
 *
 * <p>Over 250 lines on purpose: the endpoint cache, its rate limit and the two APIs that use it belong together
 * (one cache and one limit per stream is the point of the class).
 */
public final class KvsMedia implements AutoCloseable {

    /** GetImages' widest range. */
    public static final Duration MAX_IMAGES_RANGE = Duration.ofSeconds(300);
    /** GetImages' smallest sampling interval. */
    public static final Duration MIN_SAMPLING = Duration.ofMillis(200);
    public static final int MIN_HLS_EXPIRY_SECONDS = 300;
    public static final int MAX_HLS_EXPIRY_SECONDS = 43200;
    /** The range {@link #frameAt} asks for: shorter than the sampling interval, so one image. */
    static final Duration FRAME_WINDOW = Duration.ofMillis(100);
    /** GetDataEndpoint calls allowed per stream and second. */
    static final int DATA_ENDPOINT_TPS = 5;

    /**
     * The size of the JPEGs asked for: both sides in pixels (at most 3840x2160), or {@link #ORIGINAL}; and the
     * largest decoded image accepted, in bytes (larger ones come back as error {@code TOO_LARGE}).
     */
    public record ImageSize(Integer widthPixels, Integer heightPixels, int maxBytes) {
        public static final ImageSize ORIGINAL = new ImageSize(null, null, 5 * 1024 * 1024);

        public ImageSize {
            if ((widthPixels == null) != (heightPixels == null)) {
                throw new IllegalArgumentException("image size: give both width and height in pixels, or neither");
            }
            if (widthPixels != null && (widthPixels < 1 || widthPixels > 3840 || heightPixels < 1 || heightPixels > 2160)) {
                throw new IllegalArgumentException("image size " + widthPixels + "x" + heightPixels
                        + " is outside 1x1..3840x2160 (the GetImages limits)");
            }
            if (maxBytes < 1) {
                throw new IllegalArgumentException("image size: maxBytes must be positive");
            }
        }

        public static ImageSize of(int width, int height, int maxBytes) {
            return new ImageSize(width, height, maxBytes);
        }
    }

    /**
     * One sampled image: the time it was asked for, and either the JPEG bytes or the reason there is none
     * ({@code NO_MEDIA}, {@code MEDIA_ERROR} from KVS; {@code TOO_LARGE} from the size bound).
     */
    public record Image(Instant time, String error, byte[] jpeg) {
        public boolean ok() {
            return error == null && jpeg != null;
        }
    }

    /** The control-plane client and the data clients' HTTP client are built on first use (issue 15: start-up). */
    private final java.util.function.Supplier<KinesisVideoClient> control;
    private final Function<URI, KinesisVideoArchivedMediaClient> dataClientFactory;
    private final Clock clock;
    private final Duration callTimeout;
    private SdkHttpClient http;
    private final Map<String, URI> endpoints = new ConcurrentHashMap<>();
    private final Map<URI, KinesisVideoArchivedMediaClient> dataClients = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> endpointCalls = new ConcurrentHashMap<>();

    /**
     * @param callTimeout the longest one AWS call (with the SDK's retries) may take; callers with a tighter
     *                    budget wait less themselves
     */
    public KvsMedia(AwsClients aws, Duration callTimeout) {
        this.control = aws::kinesisVideo;
        this.clock = Clock.systemUTC();
        this.callTimeout = callTimeout;
        this.dataClientFactory = endpoint -> aws.configure(KinesisVideoArchivedMediaClient.builder(), "kinesisvideo")
                .endpointOverride(endpoint).httpClient(http()).build();
    }

    public KvsMedia(AwsClients aws) {
        this(aws, Duration.ofSeconds(10));
    }

    /**
     * The runtime's one KvsMedia, bean {@code kvsMedia} (one endpoint cache, one GetDataEndpoint rate per stream):
     * created by the first area that needs it (snapshots and clips, the image engine, the deciding frame of the
     * history), with that area's call timeout; closed by {@link dev.vigil.aws.CloseClients} once the context stopped.
     */
    public static KvsMedia shared(org.apache.camel.CamelContext context, AwsClients aws, Duration callTimeout) {
        synchronized (context) {
            KvsMedia media = context.getRegistry().lookupByNameAndType("kvsMedia", KvsMedia.class);
            if (media == null) {
                media = new KvsMedia(aws, callTimeout);
                context.getRegistry().bind("kvsMedia", media);
            }
            return media;
        }
    }

    // ---------------------------------------------------------------- GetImages

    /**
     * The JPEG frames of {@code stream} from {@code start} to {@code end} (inclusive, producer timestamps),
     * one every {@code samplingInterval}, at most {@code maxResults} (following NextToken pages).
     */
    public List<Image> images(String stream, Instant start, Instant end, Duration samplingInterval, int maxResults,
            ImageSize size) {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("GetImages: end " + end + " is before start " + start);
        }
        if (Duration.between(start, end).compareTo(MAX_IMAGES_RANGE) > 0) {
            throw new IllegalArgumentException("GetImages: range " + Duration.between(start, end).toSeconds()
                    + " s is longer than the 300 s KVS allows");
        }
        if (samplingInterval.compareTo(MIN_SAMPLING) < 0) {
            throw new IllegalArgumentException("GetImages: sampling interval " + samplingInterval.toMillis()
                    + " ms is below the 200 ms KVS allows");
        }
        if (maxResults < 1) {
            throw new IllegalArgumentException("GetImages: maxResults must be at least 1");
        }
        List<Image> out = new ArrayList<>();
        String next = null;
        do {
            int page = Math.min(100, maxResults - out.size());
            String token = next;
            GetImagesResponse response = onDataEndpoint(stream, APIName.GET_IMAGES, client -> client.getImages(
                    GetImagesRequest.builder().streamName(stream)
                            .imageSelectorType(ImageSelectorType.PRODUCER_TIMESTAMP)
                            .startTimestamp(start).endTimestamp(end)
                            .samplingInterval((int) samplingInterval.toMillis())
                            .format(Format.JPEG)
                            .formatConfig(Map.of(FormatConfigKey.JPEG_QUALITY, "80"))
                            .widthPixels(size.widthPixels()).heightPixels(size.heightPixels())
                            .maxResults((long) page).nextToken(token)
                            .overrideConfiguration(o -> o.apiCallTimeout(callTimeout)).build()));
            for (var image : response.images()) {
                if (out.size() < maxResults) {
                    out.add(toImage(image, size));
                }
            }
            next = response.nextToken();
        } while (next != null && !next.isEmpty() && out.size() < maxResults);
        return out;
    }

    /**
     * The one frame at {@code time} (producer timestamp), or the reason there is none. Asks for a range shorter
     * than the sampling interval ({@code time} to {@code time + 100 ms}), for which KVS returns the image at the
     * start.
     */
    public Image frameAt(String stream, Instant time, ImageSize size) {
        List<Image> images = images(stream, time, time.plus(FRAME_WINDOW), MIN_SAMPLING, 1, size);
        return images.isEmpty() ? new Image(time, "NO_MEDIA", null) : images.get(0);
    }

    private static Image toImage(software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Image image,
            ImageSize size) {
        if (image.errorAsString() != null || image.imageContent() == null) {
            return new Image(image.timeStamp(), image.errorAsString() == null ? "NO_MEDIA" : image.errorAsString(), null);
        }
        String content = image.imageContent();
        // base64 is 4 characters for 3 bytes: refuse before decoding what is clearly too big
        if ((long) content.length() * 3 / 4 > size.maxBytes() + 3L) {
            return new Image(image.timeStamp(), "TOO_LARGE", null);
        }
        byte[] bytes = Base64.getMimeDecoder().decode(content);
        if (bytes.length > size.maxBytes()) {
            return new Image(image.timeStamp(), "TOO_LARGE", null);
        }
        return new Image(image.timeStamp(), null, bytes);
    }

    // ---------------------------------------------------------------- HLS

    /**
     * An HLS ON_DEMAND playback URL for {@code stream} between {@code start} and {@code end} (producer
     * timestamps), valid for {@code expires}. The URL holds a session token: never log it.
     */
    public URI hlsOnDemand(String stream, Instant start, Instant end, Duration expires) {
        checkHlsExpiry(expires);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("HLS: end must be after start");
        }
        if (Duration.between(start, end).compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("HLS: an ON_DEMAND range must lie within 24 hours");
        }
        String url = onDataEndpoint(stream, APIName.GET_HLS_STREAMING_SESSION_URL,
                client -> client.getHLSStreamingSessionURL(r -> r.streamName(stream)
                        .playbackMode(HLSPlaybackMode.ON_DEMAND)
                        .hlsFragmentSelector(s -> s.fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
                                .timestampRange(t -> t.startTimestamp(start).endTimestamp(end)))
                        .expires((int) expires.toSeconds())
                        .overrideConfiguration(o -> o.apiCallTimeout(callTimeout)))
                        .hlsStreamingSessionURL());
        return URI.create(url);
    }

    /** Throws when {@code expires} is outside the 300-43200 s KVS accepts for HLS sessions. */
    public static void checkHlsExpiry(Duration expires) {
        long s = expires.toSeconds();
        if (s < MIN_HLS_EXPIRY_SECONDS || s > MAX_HLS_EXPIRY_SECONDS) {
            throw new IllegalArgumentException("HLS expiry " + s + " s is outside 300-43200 s");
        }
    }

    // ---------------------------------------------------------------- data endpoints

    /**
     * Runs {@code call} against the stream's data endpoint for {@code api}. When the call fails the cached
     * endpoint is dropped; a transport failure or a 5xx answer is retried once on a freshly fetched endpoint.
     */
    private <T> T onDataEndpoint(String stream, APIName api, Function<KinesisVideoArchivedMediaClient, T> call) {
        String key = stream + "|" + api;
        URI endpoint = endpoints.computeIfAbsent(key, k -> fetchDataEndpoint(stream, api));
        try {
            return call.apply(dataClient(endpoint));
        } catch (SdkException e) {
            endpoints.remove(key, endpoint);
            if (!endpointMayBeStale(e)) {
                throw e;
            }
            URI fresh = endpoints.computeIfAbsent(key, k -> fetchDataEndpoint(stream, api));
            try {
                return call.apply(dataClient(fresh));
            } catch (SdkException again) {
                endpoints.remove(key, fresh);
                throw again;
            }
        }
    }

    private static boolean endpointMayBeStale(SdkException e) {
        return e instanceof SdkClientException
                || (e instanceof SdkServiceException s && (s.statusCode() >= 500 || s.statusCode() == 0));
    }

    private KinesisVideoArchivedMediaClient dataClient(URI endpoint) {
        return dataClients.computeIfAbsent(endpoint, dataClientFactory);
    }

    private URI fetchDataEndpoint(String stream, APIName api) {
        awaitEndpointQuota(stream);
        String url = control.get().getDataEndpoint(r -> r.streamName(stream).apiName(api)
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout))).dataEndpoint();
        return URI.create(url);
    }

    /** Keeps GetDataEndpoint within 5 calls in any second per stream, waiting (under a second) when needed. */
    private void awaitEndpointQuota(String stream) {
        Deque<Instant> calls = endpointCalls.computeIfAbsent(stream, s -> new ArrayDeque<>());
        synchronized (calls) {
            while (true) {
                Instant now = clock.instant();
                while (!calls.isEmpty() && !calls.peekFirst().isAfter(now.minusSeconds(1))) {
                    calls.pollFirst();
                }
                if (calls.size() < DATA_ENDPOINT_TPS) {
                    calls.addLast(now);
                    return;
                }
                long waitMs = Math.max(1, Duration.between(now, calls.peekFirst().plusSeconds(1)).toMillis());
                try {
                    calls.wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw SdkClientException.create("interrupted while waiting for the GetDataEndpoint quota");
                }
            }
        }
    }

    /**
     * Fetches and caches the data endpoint of {@code stream} for {@code api} ahead of the first real call, so
     * that call does not pay for it (nor for loading the SDK's classes).
     */
    public void warmUp(String stream, APIName api) {
        String key = stream + "|" + api;
        URI endpoint = endpoints.computeIfAbsent(key, k -> fetchDataEndpoint(stream, api));
        dataClient(endpoint);
    }

    /** How many data endpoints are cached now (for tests and metrics). */
    public int cachedEndpoints() {
        return endpoints.size();
    }

    @Override
    public void close() {
        dataClients.values().forEach(KinesisVideoArchivedMediaClient::close);
        dataClients.clear();
        synchronized (this) {
            if (http != null) {
                http.close();
            }
        }
    }

    private synchronized SdkHttpClient http() {
        if (http == null) {
            http = ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(3)).socketTimeout(callTimeout).build();
        }
        return http;
    }
}
