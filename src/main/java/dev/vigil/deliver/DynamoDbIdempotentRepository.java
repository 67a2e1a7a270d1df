package dev.vigil.deliver;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import dev.vigil.aws.AwsProblems;
import dev.vigil.config.ConfigException;
import org.apache.camel.spi.IdempotentRepository;
import software.amazon.awssdk.core.exception.SdkClientException;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Delivered-alert ids in a DynamoDB table shared by every Vigil instance, for Camel's idempotentConsumer:
 * an alert re-produced after a restart or a lease moving to another instance is not sent again. Items
 * carry a TTL attribute ({@code expiresAt}, epoch seconds) so the table does not grow for ever; enable TTL
 * on it (provisioning does). Table: partition key {@code id} (String).
 */
public class DynamoDbIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration keep;
    private final Clock clock;

    public DynamoDbIdempotentRepository(DynamoDbClient dynamo, String table, Duration keep, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.keep = keep;
        this.clock = clock;
    }

    /** Creates the table (on-demand capacity, TTL on expiresAt) when it does not exist yet, as KCL does for leases. */
    @Override
    protected void doStart() {
        try {
            ensureTable();
        } catch (SdkClientException e) {
            throw AwsProblems.unreachable("delivered-alert store", "DynamoDB table \"" + table + "\"", e);
        } catch (DynamoDbException e) {
            throw new ConfigException("delivered-alert store: DynamoDB refused table \"" + table + "\" ("
                    + e.awsErrorDetails().errorCode() + "). Grant dynamodb:DescribeTable, CreateTable, "
                    + "UpdateTimeToLive, GetItem, PutItem and DeleteItem on it (README: IAM policy).");
        }
    }

    private void ensureTable() {
        dev.vigil.aws.DynamoTables.ensure(dynamo, table, b -> b
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S)),
                () -> dynamo.updateTimeToLive(b -> b.tableName(table)
                        .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true))));
    }

    @Override
    public boolean add(String key) {
        try {
            dynamo.putItem(b -> b.tableName(table).conditionExpression("attribute_not_exists(id)").item(Map.of(
                    "id", AttributeValue.fromS(key),
                    "expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(keep).getEpochSecond())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean contains(String key) {
        return dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of("id", AttributeValue.fromS(key))))
                .hasItem();
    }

    @Override
    public boolean remove(String key) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(key))));
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the delivered-alert table is shared; expire items with its TTL");
    }
}
