package dev.vigil;

import dev.vigil.config.AreaConfiguration;
import dev.vigil.config.ConfigException;
import dev.vigil.deliver.DeadLetterStore;
import dev.vigil.deliver.DynamoDbIdempotentRepository;
import dev.vigil.deliver.Freshness;
import dev.vigil.ingest.RekognitionRecordParser;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

/**
 * The beans of the main data flow: the record parser (20-decide; the decider: DecideConfiguration) and what every channel's gate
 * uses (40-deliver): freshness, the dead-letter store and the delivered-alert ids. The model of an area
 * configuration (see {@link AreaConfiguration}): one {@code @BindToRegistry} method per bean.
 */
public class CoreConfiguration extends AreaConfiguration {

    @BindToRegistry
    public RekognitionRecordParser rekognitionRecordParser() {
        return new RekognitionRecordParser(json);
    }

    @BindToRegistry
    public Freshness freshness() {
        return new Freshness(settings.duration("vigil.kinesis.stale-after"), clock);
    }

    @BindToRegistry
    public DeadLetterStore deadLetterStore() {
        return new DeadLetterStore(dataDir, json, clock, metrics);
    }

    /** Where delivered-alert ids are kept, so a re-processed record does not send an alert twice. */
    @BindToRegistry
    public IdempotentRepository deliveredAlerts() {
        String store = settings.text("vigil.delivered.store");
        return switch (store) {
            case "memory" -> MemoryIdempotentRepository.memoryIdempotentRepository(10_000);
            case "dynamodb" -> new DynamoDbIdempotentRepository(aws.dynamo(), settings.text("vigil.delivered.table"),
                    Duration.ofDays(7), clock);
            default -> throw new ConfigException("vigil.delivered.store: \"" + store
                    + "\" is not a store; use memory (one process, no restarts to survive) or dynamodb"
                    + " (survives restarts, shared by instances; table vigil.delivered.table)");
        };
    }
}
