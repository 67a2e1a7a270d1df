package dev.vigil.engine;

import dev.vigil.config.AreaConfiguration;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Household;
import dev.vigil.config.Settings;
import dev.vigil.model.Severity;
import dev.vigil.video.KvsMedia;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;

/**
 * The image engine's beans from {@code vigil.image.*} (config/application.properties documents every key):
 * {@code imageEngine}, {@code imageTrigger}, {@code imageCosts}, and {@code kvsMedia} unless the video area
 * already bound one. Switches the engine's routes on when a camera has {@code engine: image} (unless
 * vigil.image.enabled says otherwise). A bad value stops start-up with a {@link ConfigException} naming the key.
 */
public class ImageEngineConfiguration extends AreaConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageEngineConfiguration.class);

    private ImageEngine engine;
    private CostMeter costs;
    private KvsMedia media;

    @BindToRegistry
    public ImageEngine imageEngine(CamelContext context) {
        if (engine == null) {
            Pacing pacing = pacing(settings);
            FaceSearch search = new FaceSearch(aws::rekognition, household.rekognition().collection(),
                    (float) settings.number("vigil.image.match-threshold", 80, 100),
                    settings.whole("vigil.image.max-faces", 1, 4096), settings.number("vigil.image.crop-margin", 0, 2),
                    imageCosts());
            int width = settings.whole("vigil.image.width", 0, 3840);
            int height = settings.whole("vigil.image.height", 0, 2160);
            if ((width == 0) != (height == 0)) {
                throw new ConfigException("vigil.image.width and vigil.image.height: give both (e.g. 1280 and 720) or "
                        + "leave both 0 for the camera's own size");
            }
            int maxBytes = settings.whole("vigil.image.max-bytes", 1, 50_000_000);
            ImageEngine.Sampling sampling = new ImageEngine.Sampling(settings.duration("vigil.image.lag"),
                    settings.duration("vigil.image.max-catch-up"), width == 0
                    ? new KvsMedia.ImageSize(null, null, maxBytes) : KvsMedia.ImageSize.of(width, height, maxBytes));
            if (sampling.maxCatchUp().compareTo(KvsMedia.MAX_IMAGES_RANGE) > 0) {
                throw new ConfigException("vigil.image.max-catch-up: at most 300s (the widest GetImages range)");
            }
            EngineAlerts alerts = new EngineAlerts(pacing, household.policy().alertTtl(), severity());
            engine = new ImageEngine(cameras(), pacing, sampling, sharedKvsMedia(context), search, imageCosts(), alerts,
                    new StreamArns(aws::kinesisVideo), clock, metrics);
        }
        return engine;
    }

    @BindToRegistry
    public CostMeter imageCosts() {
        if (costs == null) {
            costs = costMeter(settings, household, metrics);
        }
        return costs;
    }

    /** The trigger, an API path served by the HTTP server on vigil.http.port (its token: the apiGate). */
    @BindToRegistry
    public ImageTrigger imageTrigger(CamelContext context) {
        return new ImageTrigger(imageEngine(context), json);
    }

    /** The shared KvsMedia ({@link KvsMedia#shared}) when a camera is on the image engine. */
    private KvsMedia sharedKvsMedia(CamelContext context) {
        if (media == null && !cameras().isEmpty()) {
            media = KvsMedia.shared(context, aws, java.time.Duration.ofSeconds(10));
        }
        return media;
    }

    /** The routes' switches: the engine's on when a camera uses it; the Kinesis source off when none reads a stream. */
    @Override
    public void configure(CamelContext context) {
        var props = context.getPropertiesComponent();
        if (settings.optional("vigil.image.enabled").isEmpty()) {
            props.addOverrideProperty("vigil.image.enabled", Boolean.toString(!cameras().isEmpty()));
        }
        if (!cameras().isEmpty() && cameras().size() == household.cameras().size() && settings.flag("vigil.kinesis.enabled")) {
            LOG.info("every camera uses engine: image, so there is no results stream to read: Kinesis source off");
            props.addOverrideProperty("vigil.kinesis.enabled", "false");
        }
    }

    private List<Household.Camera> cameras() {
        return household.cameras().stream().filter(c -> c.engine() == Household.Engine.IMAGE).toList();
    }

    /** The cost meter alone (also used by {@code vigil cost-report}). */
    public static CostMeter costMeter(Settings settings, Household household, MeterRegistry metrics) {
        Map<String, Double> cameraBudgets = new HashMap<>();
        household.cameras().stream().filter(c -> c.image().dailyBudgetUsd() != null)
                .forEach(c -> cameraBudgets.put(c.id(), c.image().dailyBudgetUsd()));
        return new CostMeter(prices(settings), budget(settings), cameraBudgets, household.policy().timeZone(), metrics);
    }

    public static CostMeter.Prices prices(Settings s) {
        return new CostMeter.Prices(s.number("vigil.image.price.rekognition-image-usd", 0, 1),
                s.number("vigil.image.price.get-images-usd", 0, 1));
    }

    public static CostMeter.Budget budget(Settings s) {
        return new CostMeter.Budget(s.number("vigil.image.budget.camera-daily-usd", 0, 1e6),
                s.number("vigil.image.budget.household-daily-usd", 0, 1e6), s.number("vigil.image.budget.slow-at", 0, 1));
    }

    public static Pacing pacing(Settings s) {
        Pacing p = new Pacing(s.duration("vigil.image.active-poll"), s.duration("vigil.image.idle-poll"),
                s.duration("vigil.image.active-for"), s.duration("vigil.image.detect-interval"),
                s.duration("vigil.image.detect-interval-max"), s.duration("vigil.image.follow-up"),
                s.whole("vigil.image.faces-per-episode", 1, 1000), s.duration("vigil.image.recheck-after"),
                s.duration("vigil.image.episode-gap"), s.whole("vigil.image.budget.slow-factor", 1, 100));
        if (p.activePoll().toMillis() < 200 || p.idlePoll().toMillis() < 200) {
            throw new ConfigException("vigil.image.active-poll and vigil.image.idle-poll: at least 200ms");
        }
        return p;
    }

    private Severity severity() {
        String text = settings.text("vigil.image.motion-severity");
        try {
            Severity s = Severity.fromWire(text);
            if (s != Severity.NONE) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException("vigil.image.motion-severity: \"" + text + "\" is not a severity; use info, warning or critical");
    }
}
