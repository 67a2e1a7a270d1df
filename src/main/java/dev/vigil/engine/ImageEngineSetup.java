package dev.vigil.engine;

import dev.vigil.aws.AwsClients;
import dev.vigil.config.ConfigException;
import dev.vigil.config.DurationText;
import dev.vigil.config.Household;
import dev.vigil.model.Severity;
import dev.vigil.video.KvsMedia;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * Binds the image engine's beans from {@code vigil.image.*} (config/application.properties documents every
 * key): {@code imageEngine}, {@code imageTrigger}, and {@code kvsMedia} unless another part already bound
 * one. Switches the engine's routes on when a camera has {@code engine: image} (unless vigil.image.enabled
 * says otherwise). A bad value stops start-up with a {@link ConfigException} naming the key.
 */
public final class ImageEngineSetup {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageEngineSetup.class);

    private ImageEngineSetup() {
    }

    public static void bind(Registry registry, PropertiesComponent props, Household household, AwsClients aws,
                            MeterRegistry metrics, Clock clock) {
        List<Household.Camera> cameras = household.cameras().stream()
                .filter(c -> c.engine() == Household.Engine.IMAGE).toList();
        if (props.resolveProperty("vigil.image.enabled").filter(s -> !s.isBlank()).isEmpty()) {
            props.addOverrideProperty("vigil.image.enabled", Boolean.toString(!cameras.isEmpty()));
        }
        if (!cameras.isEmpty() && cameras.size() == household.cameras().size()
                && dev.vigil.config.Settings.flag(props, "vigil.kinesis.enabled", false)) {
            LOG.info("every camera uses engine: image, so there is no results stream to read: Kinesis source off");
            props.addOverrideProperty("vigil.kinesis.enabled", "false");
        }
        Pacing pacing = pacing(props);
        CostMeter costs = costMeter(props, household, metrics);
        // one KvsMedia per runtime (shared with snapshots): one endpoint cache, one GetDataEndpoint rate per stream
        KvsMedia media = registry.lookupByNameAndType("kvsMedia", KvsMedia.class);
        if (media == null && !cameras.isEmpty()) {
            media = new KvsMedia(aws);
            registry.bind("kvsMedia", media);
        }
        FaceSearch search = new FaceSearch(aws.rekognition(), household.rekognition().collection(),
                (float) number(props, "vigil.image.match-threshold", 80, 100), (int) number(props, "vigil.image.max-faces", 1, 4096),
                number(props, "vigil.image.crop-margin", 0, 2), costs);
        int width = (int) number(props, "vigil.image.width", 0, 3840);
        int height = (int) number(props, "vigil.image.height", 0, 2160);
        if ((width == 0) != (height == 0)) {
            throw new ConfigException("vigil.image.width and vigil.image.height: give both (e.g. 1280 and 720) or "
                    + "leave both 0 for the camera's own size");
        }
        int maxBytes = (int) number(props, "vigil.image.max-bytes", 1, 50_000_000);
        ImageEngine.Sampling sampling = new ImageEngine.Sampling(duration(props, "vigil.image.lag"),
                duration(props, "vigil.image.max-catch-up"),
                width == 0 ? new KvsMedia.ImageSize(null, null, maxBytes) : KvsMedia.ImageSize.of(width, height, maxBytes));
        if (sampling.maxCatchUp().compareTo(KvsMedia.MAX_IMAGES_RANGE) > 0) {
            throw new ConfigException("vigil.image.max-catch-up: at most 300s (the widest GetImages range)");
        }
        EngineAlerts alerts = new EngineAlerts(pacing, household.policy().alertTtl(), severity(props));
        ImageEngine engine = new ImageEngine(cameras, pacing, sampling, media, search, costs, alerts,
                new StreamArns(aws.kinesisVideo()), clock, metrics);
        registry.bind("imageCosts", costs);
        registry.bind("imageEngine", engine);
        registry.bind("imageTrigger", new ImageTrigger(engine, triggerToken(props)));
    }

    /** The cost meter alone (also used by {@code vigil cost-report}). */
    public static CostMeter costMeter(PropertiesComponent props, Household household, MeterRegistry metrics) {
        Map<String, Double> cameraBudgets = new HashMap<>();
        household.cameras().stream().filter(c -> c.image().dailyBudgetUsd() != null)
                .forEach(c -> cameraBudgets.put(c.id(), c.image().dailyBudgetUsd()));
        return new CostMeter(new CostMeter.Prices(number(props, "vigil.image.price.rekognition-image-usd", 0, 1),
                number(props, "vigil.image.price.get-images-usd", 0, 1)),
                new CostMeter.Budget(number(props, "vigil.image.budget.camera-daily-usd", 0, 1e6),
                        number(props, "vigil.image.budget.household-daily-usd", 0, 1e6),
                        number(props, "vigil.image.budget.slow-at", 0, 1)),
                cameraBudgets, household.policy().timeZone(), metrics);
    }

    public static Pacing pacing(PropertiesComponent props) {
        Pacing p = new Pacing(duration(props, "vigil.image.active-poll"), duration(props, "vigil.image.idle-poll"),
                duration(props, "vigil.image.active-for"), duration(props, "vigil.image.detect-interval"),
                duration(props, "vigil.image.detect-interval-max"), duration(props, "vigil.image.follow-up"),
                (int) number(props, "vigil.image.faces-per-episode", 1, 1000), duration(props, "vigil.image.recheck-after"),
                duration(props, "vigil.image.episode-gap"), (int) number(props, "vigil.image.budget.slow-factor", 1, 100));
        if (p.activePoll().toMillis() < 200 || p.idlePoll().toMillis() < 200) {
            throw new ConfigException("vigil.image.active-poll and vigil.image.idle-poll: at least 200ms");
        }
        return p;
    }

    /** The trigger's token; the trigger is served by the HTTP server on vigil.http.port (vigil.http.enabled). */
    private static dev.vigil.ApiToken triggerToken(PropertiesComponent props) {
        boolean enabled = dev.vigil.config.Settings.flag(props, "vigil.image.trigger.enabled", false);
        return enabled ? dev.vigil.ApiToken.from(props.resolveProperty("vigil.api.token").orElse(""),
                props.resolveProperty("vigil.api.token-file").orElse(""), "vigil.image.trigger.enabled")
                : dev.vigil.ApiToken.none();
    }

    private static Severity severity(PropertiesComponent props) {
        String text = props.resolveProperty("vigil.image.motion-severity").orElse("info");
        try {
            Severity s = Severity.fromWire(text.trim());
            if (s != Severity.NONE) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException("vigil.image.motion-severity: \"" + text + "\" is not a severity; use info, warning or critical");
    }

    private static double number(PropertiesComponent props, String key, double min, double max) {
        String text = props.resolveProperty(key).orElseThrow(() -> new ConfigException(key + " is not set"));
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": \"" + text + "\" is not a number");
        }
        if (value < min || value > max) {
            throw new ConfigException(key + ": " + text + " is out of range; use " + min + ".." + max);
        }
        return value;
    }

    private static Duration duration(PropertiesComponent props, String key) {
        String text = props.resolveProperty(key).orElseThrow(() -> new ConfigException(key + " is not set"));
        try {
            return DurationText.parse(text);
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": \"" + text + "\" is not a duration; write it like 2s, 500ms or PT2S");
        }
    }
}
