package dev.vigil.history;

import dev.vigil.aws.AwsProblems;
import dev.vigil.config.AreaConfiguration;
import dev.vigil.config.ConfigException;
import dev.vigil.provision.Names;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The alert history's beans (vigil.history.*, docs/history.md): {@code historyStore} (embedded H2 under
 * vigil.data.dir/history, or DynamoDB + S3 with vigil.history.store=aws), {@code historyWriter} (a Camel
 * service: starts with the context, drains and closes the store on stop), {@code historyRecorder} (the
 * deliver routes' steps), {@code historyApi} and {@code historyRetention}. With vigil.history.enabled=false
 * no store is opened, the steps do nothing and the API answers 404.
 */
public class HistoryConfiguration extends AreaConfiguration {

    private HistoryStore store;
    private HistoryWriter writer;
    private boolean built;

    @BindToRegistry
    public HistoryStore historyStore() {
        build();
        return store;
    }

    @BindToRegistry
    public HistoryWriter historyWriter() {
        build();
        return writer;
    }

    @BindToRegistry
    public HistoryRecorder historyRecorder() {
        build();
        return new HistoryRecorder(writer, clock);
    }

    @BindToRegistry
    public HistoryApi historyApi() {
        build();
        int maxPage = settings.whole("vigil.history.max-page", 1);
        return new HistoryApi(store, json, clock, Math.min(50, maxPage), maxPage);
    }

    @BindToRegistry
    public RetentionRun historyRetention() {
        build();
        return new RetentionRun(store, household.retention(), dataDir.resolve("audit"), json, clock, metrics);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        build();
        if (store instanceof OpeningHistoryStore opening) {
            // the store opens beside the routes' loading; the context waits for it before any route starts, so a
            // history that cannot be opened stops start-up as it did when it opened here
            beforeRoutesStart(context, opening::open);
        }
        if (writer != null) {
            context.addService(writer, true, true);
        }
    }

    private void build() {
        if (built) {
            return;
        }
        built = true;
        if (settings.flag("vigil.history.enabled")) {
            store = store();
            writer = new HistoryWriter(store, settings.whole("vigil.history.buffer", 1),
                    settings.whole("vigil.history.batch", 1), settings.duration("vigil.history.offer-timeout"), metrics);
        }
    }

    /** The store, opening on its own thread (OpeningHistoryStore: beside the routes' loading, issue 15). */
    private HistoryStore store() {
        String kind = settings.text("vigil.history.store");
        return switch (kind) {
            case "embedded" -> new OpeningHistoryStore(() -> EmbeddedHistoryStore.open(dataDir.resolve("history"), json,
                    clock));
            case "aws" -> {
                String table = settings.optional("vigil.history.table").orElse(Names.HISTORY_TABLE);
                yield new OpeningHistoryStore(() -> AwsHistoryStore.on(aws, table, bucket(), json).start());
            }
            default -> throw new ConfigException("vigil.history.store: \"" + kind + "\" is not a store; use embedded"
                    + " (an H2 file under VIGIL_DATA_DIR, one instance) or aws (DynamoDB table vigil.history.table and"
                    + " S3 bucket vigil.history.bucket, shared by instances)");
        };
    }

    /** vigil.history.bucket, or when empty vigil-history-<account>-<region> (the account from STS), as provision names it. */
    private String bucket() {
        String bucket = settings.optional("vigil.history.bucket").orElse("");
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
}
