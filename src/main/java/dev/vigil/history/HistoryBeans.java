package dev.vigil.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.AwsClients;
import dev.vigil.aws.AwsProblems;
import dev.vigil.provision.Names;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import dev.vigil.config.ConfigException;
import dev.vigil.config.DurationText;
import dev.vigil.config.Household;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * Binds the alert history's beans (vigil.history.*, docs/history.md): {@code historyStore} (embedded H2 under
 * vigil.data.dir/history, or DynamoDB + S3 with vigil.history.store=aws), {@code historyWriter} (a Camel
 * service: starts with the context, drains and closes the store on stop), {@code historyRecorder} (the
 * deliver routes' steps), {@code historyApi} and {@code historyRetention}. With vigil.history.enabled=false
 * no store is opened, the steps do nothing and the API answers 404.
 */
public final class HistoryBeans {

    private HistoryBeans() {
    }

    public static void bind(CamelContext context, PropertiesComponent props, Household household, AwsClients aws,
                            ObjectMapper json, Clock clock, Path dataDir, MeterRegistry metrics) {
        Registry registry = context.getRegistry();
        boolean enabled = Boolean.parseBoolean(prop(props, "vigil.history.enabled", "true"));
        HistoryStore store = enabled ? store(props, aws, json, clock, dataDir) : null;
        HistoryWriter writer = null;
        if (store != null) {
            writer = new HistoryWriter(store, positive(props, "vigil.history.buffer", "10000"),
                    positive(props, "vigil.history.batch", "200"), duration(props, "vigil.history.offer-timeout", "5s"),
                    metrics);
            try {
                context.addService(writer, true, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            registry.bind("historyStore", store);
            registry.bind("historyWriter", writer);
        }
        registry.bind("historyRecorder", new HistoryRecorder(writer, clock));
        int maxPage = positive(props, "vigil.history.max-page", "200");
        registry.bind("historyApi", new HistoryApi(store, json, clock, Math.min(50, maxPage), maxPage));
        registry.bind("historyRetention", new RetentionRun(store, household.retention(), dataDir.resolve("audit"),
                json, clock, metrics));
    }

    private static HistoryStore store(PropertiesComponent props, AwsClients aws, ObjectMapper json, Clock clock,
                                      Path dataDir) {
        String kind = prop(props, "vigil.history.store", "embedded");
        return switch (kind) {
            case "embedded" -> EmbeddedHistoryStore.open(dataDir.resolve("history"), json, clock);
            case "aws" -> AwsHistoryStore.on(aws, prop(props, "vigil.history.table", Names.HISTORY_TABLE),
                    bucket(props, aws), json).start();
            default -> throw new ConfigException("vigil.history.store: \"" + kind + "\" is not a store; use embedded"
                    + " (an H2 file under VIGIL_DATA_DIR, one instance) or aws (DynamoDB table vigil.history.table and"
                    + " S3 bucket vigil.history.bucket, shared by instances)");
        };
    }

    /** vigil.history.bucket, or when empty vigil-history-<account>-<region> (the account from STS), as provision names it. */
    private static String bucket(PropertiesComponent props, AwsClients aws) {
        String bucket = prop(props, "vigil.history.bucket", "");
        if (bucket.isEmpty()) {
            try (StsClient sts = aws.configure(StsClient.builder(), "sts").httpClient(ApacheHttpClient.create()).build()) {
                bucket = Names.historyBucket(sts.getCallerIdentity().account(), aws.region().id());
            } catch (SdkClientException e) {
                throw AwsProblems.unreachable("alert history", "STS (to name the history bucket; or set"
                        + " VIGIL_HISTORY_BUCKET)", e);
            }
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new ConfigException("vigil.history.bucket: \"" + bucket + "\" is not an S3 bucket name; with"
                    + " vigil.history.store=aws set VIGIL_HISTORY_BUCKET to a globally unique name of 3-63 lower-case"
                    + " letters, digits, dots and dashes, or leave it empty for vigil-history-<account>-<region>");
        }
        return bucket;
    }

    private static String prop(PropertiesComponent props, String key, String otherwise) {
        return props.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty()).orElse(otherwise);
    }

    private static int positive(PropertiesComponent props, String key, String otherwise) {
        String text = prop(props, key, otherwise);
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new ConfigException(key + ": \"" + text + "\" is not a positive whole number");
    }

    private static Duration duration(PropertiesComponent props, String key, String otherwise) {
        String text = prop(props, key, otherwise);
        try {
            return DurationText.parse(text);
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": \"" + text + "\" is not a duration; write it like 5s, 1m or PT5S");
        }
    }
}
