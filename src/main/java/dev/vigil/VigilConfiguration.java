package dev.vigil;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.AwsClients;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.config.Settings;
import dev.vigil.deliver.ChannelsConfiguration;
import dev.vigil.deliver.DeliveryGuardsConfiguration;
import dev.vigil.engine.ImageEngineConfiguration;
import dev.vigil.faces.FacesConfiguration;
import dev.vigil.ingest.kinesis.KinesisResultsComponent;
import dev.vigil.operate.Observability;
import dev.vigil.operate.ObservabilityConfiguration;
import dev.vigil.provision.ProcessorsConfiguration;
import dev.vigil.video.VideoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;

/**
 * Binds the beans the YAML routes refer to. Runs before routes load; a bad household file or setting stops
 * start-up here with a {@link ConfigException} naming the key.
 *
 * <p>First the shared beans every area takes as parameters (household, settings, JSON, metrics, AWS clients,
 * clock); then ONE line per area: {@code add(context, new XConfiguration())}, a class of
 * {@code @BindToRegistry} factory methods in the area's package (see {@link CoreConfiguration}). A new area
 * adds its line at the end of {@link #configure}; an area whose beans need another area's comes after it.
 * The locals {@code props}, {@code household}, {@code aws}, {@code metrics}, {@code json}, {@code clock} and
 * {@code registry} stay available for an area that still binds by hand.
 */
public class VigilConfiguration implements CamelConfiguration {

    /** The household used when {@code vigil.config} is empty: the commented example, matching the sample scenario. */
    public static final String EMBEDDED_HOUSEHOLD = "classpath:config/household.example.yaml";

    /** The on/off settings, some read only by routes (autoStartup) or Camel: checked once at start-up. */
    static final java.util.List<String> FLAGS = java.util.List.of("vigil.sample.enabled", "vigil.console.enabled",
            "vigil.http.enabled", "vigil.kinesis.enabled", "vigil.image.enabled", "vigil.image.trigger.enabled",
            "vigil.api.enabled", "vigil.processors.enabled", "vigil.outbox.enabled", "vigil.snapshot.enabled",
            "vigil.clip.enabled", "vigil.rate-guard.exempt-critical");

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent props = context.getPropertiesComponent();
        Settings settings = Settings.of(props);
        String location = settings.optional("vigil.config").orElse(null);
        if (settings.optional("vigil.sample.enabled").isEmpty()) {
            props.addOverrideProperty("vigil.sample.enabled", Boolean.toString(location == null));
        }
        FLAGS.forEach(key -> settings.flag(key, false)); // empty: decided later; a mistyped boolean stops start-up naming the key, even one only a route reads
        Household household = HouseholdLoader.load(location == null ? EMBEDDED_HOUSEHOLD : location);
        Clock clock = Clock.systemUTC();
        ObjectMapper json = Json.mapper();
        MeterRegistry metrics = Observability.meterRegistry(context);
        AwsClients aws = AwsClients.from(settings, metrics); // counts throttled AWS calls (AwsCallMetrics)

        context.addComponent("kinesis-results", new KinesisResultsComponent());
        Registry registry = context.getRegistry();
        registry.bind("vigilSettings", settings);
        registry.bind("vigilClock", Clock.class, clock);
        registry.bind("vigilDataDir", Path.class, Path.of(settings.optional("vigil.data.dir").orElse("./data")));
        registry.bind("vigilJson", json);
        registry.bind("metricsRegistry", metrics);
        registry.bind("awsClients", aws);
        registry.bind("household", household);

        add(context, new dev.vigil.history.HistoryConfiguration()); // first: its store opens beside what follows
        add(context, new dev.vigil.arming.ArmingConfiguration()); // before Decide: the decider reads the mode
        add(context, new dev.vigil.decide.DecideConfiguration());
        add(context, new CoreConfiguration());
        add(context, new ChannelsConfiguration());
        add(context, new DeliveryGuardsConfiguration());
        add(context, new dev.vigil.console.ConsoleConfiguration()); // before Faces: it decides vigil.api.enabled and the token
        add(context, new FacesConfiguration());
        add(context, new ProcessorsConfiguration());
        add(context, new VideoConfiguration());
        add(context, new ImageEngineConfiguration());
        add(context, new dev.vigil.teach.TeachConfiguration()); // after history, faces, decider and video
        add(context, new dev.vigil.live.LiveConfiguration(location)); // after the decider it updates
        add(context, new dev.vigil.mqtt.MqttConfiguration(System::getenv)); // after arming, decider, channels, live
        add(context, new ObservabilityConfiguration());
    }

    /** Binds an area's {@code @BindToRegistry} methods (Camel's bean post-processor), then runs its configure(). */
    public static void add(CamelContext context, CamelConfiguration area) {
        CamelBeanPostProcessor beans = PluginHelper.getBeanPostProcessor(context);
        String name = area.getClass().getName();
        try {
            beans.postProcessBeforeInitialization(area, name);
            beans.postProcessAfterInitialization(area, name);
            area.configure(context);
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof ConfigException)) {
                cause = cause.getCause();
            }
            if (cause instanceof ConfigException config) {
                throw config;
            }
            throw new IllegalStateException("cannot bind the beans of " + name + ": " + e.getMessage(), e);
        }
    }
}
