package dev.vigil;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.AwsClients;
import dev.vigil.config.ConfigException;
import dev.vigil.config.DurationText;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.decide.Decider;
import dev.vigil.deliver.AlertText;
import dev.vigil.deliver.ChannelDirectory;
import dev.vigil.deliver.ConsoleFormat;
import dev.vigil.deliver.DeadLetterStore;
import dev.vigil.deliver.DynamoDbIdempotentRepository;
import dev.vigil.deliver.Freshness;
import dev.vigil.deliver.RetryAfter;
import dev.vigil.deliver.SesSender;
import dev.vigil.ingest.RekognitionRecordParser;
import dev.vigil.ingest.kinesis.KinesisResultsComponent;
import dev.vigil.operate.Observability;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.spi.Registry;

/**
 * Binds the beans the YAML routes refer to, from {@code vigil.*} properties. Runs before routes load;
 * a bad household file or setting stops start-up here with a {@link ConfigException}.
 */
public class VigilConfiguration implements CamelConfiguration {

    /** The household used when {@code vigil.config} is empty: the commented example, matching the sample scenario. */
    public static final String EMBEDDED_HOUSEHOLD = "classpath:config/household.example.yaml";

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent props = context.getPropertiesComponent();
        String location = props.resolveProperty("vigil.config").filter(s -> !s.isBlank()).orElse(null);
        if (props.resolveProperty("vigil.sample.enabled").filter(s -> !s.isBlank()).isEmpty()) {
            props.addOverrideProperty("vigil.sample.enabled", Boolean.toString(location == null));
        }
        Household household = HouseholdLoader.load(location == null ? EMBEDDED_HOUSEHOLD : location);
        Clock clock = Clock.systemUTC();
        ObjectMapper json = Json.mapper();
        MeterRegistry metrics = Observability.meterRegistry(context);
        AwsClients aws = awsClients(props);

        context.addComponent("kinesis-results", new KinesisResultsComponent());
        Registry registry = context.getRegistry();
        registry.bind("vigilJson", json);
        registry.bind("metricsRegistry", metrics);
        registry.bind("awsClients", aws);
        registry.bind("household", household);
        registry.bind("rekognitionRecordParser", new RekognitionRecordParser(json));
        var arming = dev.vigil.arming.ArmingBeans.bind(context, household, json, clock, dataDir(props));
        registry.bind("decider", new Decider(household, metrics, arming::mode));
        registry.bind("freshness", new Freshness(duration(props, "vigil.kinesis.stale-after"), clock));
        registry.bind("deadLetterStore", new DeadLetterStore(dataDir(props), json, clock, metrics));
        registry.bind("deliveredAlerts", deliveredAlerts(props, aws, clock));
        bindChannels(registry, props, household, json, aws, clock);
        dev.vigil.console.ConsoleBeans.bind(context, props, household, json, clock, dataDir(props)); // before the API
        dev.vigil.faces.FacesBeans.bind(context, props, household, aws, json, clock, dataDir(props));
        dev.vigil.provision.ProcessorLifecycle.bind(context, household, aws, metrics);
        dev.vigil.video.VideoBeans.bind(context, props, household, aws, metrics, clock);
        dev.vigil.engine.ImageEngineSetup.bind(registry, props, household, aws, metrics, clock);
        dev.vigil.deliver.DeliveryGuards.bind(registry, props, household, metrics, clock);
        dev.vigil.deliver.Outbox.bind(registry, props, dataDir(props), json, metrics);
        dev.vigil.history.HistoryBeans.bind(context, props, household, aws, json, clock, dataDir(props), metrics);
        Observability.bind(context, props, household, metrics);
        dev.vigil.teach.TeachBeans.bind(context, props, household, aws, metrics, json, clock);
    }

    /** The channel directory, and the beans each configured channel's route refers to. */
    private static void bindChannels(Registry registry, PropertiesComponent props, Household household,
                                     ObjectMapper json, AwsClients aws, Clock clock) {
        registry.bind("consoleFormat", new ConsoleFormat(household.policy().timeZone()));
        int timeoutMs = Integer.parseInt(props.resolveProperty("vigil.channel.timeout-ms").orElse("10000"));
        registry.bind("retryAfter", new RetryAfter(duration(props, "vigil.webhook.max-retry-after"), clock));
        ChannelDirectory channels = ChannelDirectory.build(household.channels(),
                Boolean.parseBoolean(props.resolveProperty("vigil.console.enabled").orElse("false")),
                new ChannelDirectory.PropertyWebhook(props.resolveProperty("vigil.webhook.url").orElse(""),
                        props.resolveProperty("vigil.webhook.secret").orElse(""),
                        props.resolveProperty("vigil.webhook.secret-file").orElse("")), System::getenv,
                new AlertText(household.policy().timeZone()), json, clock, household.policy().timeZone(), timeoutMs);
        registry.bind("channels", channels);
        channels.webhooks().forEach(w -> registry.bind("webhook-" + w.name(), w));
        if (channels.sns() != null) {
            registry.bind("snsChannel", channels.sns());
            registry.bind("snsClient", aws.sns());
        }
        if (channels.email() != null) {
            registry.bind("emailChannel", channels.email());
            registry.bind("emailProperties", channels.email().javaMailProperties(timeoutMs));
            if (channels.email().viaSes()) {
                registry.bind("sesSender", new SesSender(aws.ses(), channels.email()));
            }
        }
    }

    /** The AWS clients: region, common endpoint override, and per-service overrides vigil.aws.endpoints.*. */
    static AwsClients awsClients(PropertiesComponent props) {
        java.util.Map<String, String> perService = new java.util.HashMap<>();
        for (String service : AwsClients.SERVICES) {
            props.resolveProperty("vigil.aws.endpoints." + service).ifPresent(url -> perService.put(service, url));
        }
        return new AwsClients(props.resolveProperty("vigil.aws.region").orElse("us-east-1"),
                props.resolveProperty("vigil.aws.endpoint").orElse(""), perService);
    }

    /** Where delivered-alert ids are kept, so a re-processed record does not send an alert twice. */
    private static IdempotentRepository deliveredAlerts(PropertiesComponent props, AwsClients aws, Clock clock) {
        String store = props.resolveProperty("vigil.delivered.store").orElse("memory");
        return switch (store) {
            case "memory" -> MemoryIdempotentRepository.memoryIdempotentRepository(10_000);
            case "dynamodb" -> new DynamoDbIdempotentRepository(aws.dynamo(),
                    props.resolveProperty("vigil.delivered.table").orElse("vigil-delivered-alerts"),
                    Duration.ofDays(7), clock);
            default -> throw new ConfigException("vigil.delivered.store: \"" + store
                    + "\" is not a store; use memory (one process, no restarts to survive) or dynamodb"
                    + " (survives restarts, shared by instances; table vigil.delivered.table)");
        };
    }

    private static Duration duration(PropertiesComponent props, String key) {
        String text = props.resolveProperty(key).orElseThrow(() -> new ConfigException(key + " is not set"));
        try {
            return DurationText.parse(text);
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": \"" + text + "\" is not a duration; write it like 30s, 5m or PT5M");
        }
    }

    private static Path dataDir(PropertiesComponent props) {
        return Path.of(props.resolveProperty("vigil.data.dir").filter(s -> !s.isBlank()).orElse("./data"));
    }
}
