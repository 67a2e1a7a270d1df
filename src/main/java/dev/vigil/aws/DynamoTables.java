package dev.vigil.aws;

import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Vigil's own DynamoDB tables (delivered-alert ids, alert history): created at first start when missing. */
public final class DynamoTables {

    private DynamoTables() {
    }

    /**
     * Creates the table (on-demand capacity, the given keys and indexes) unless it exists, and waits for it.
     * Several instances starting together: one creates it, the others wait for it.
     *
     * @param created runs once after this instance created the table (e.g. to switch on its TTL)
     */
    public static void ensure(DynamoDbClient dynamo, String table, Consumer<CreateTableRequest.Builder> spec,
                              Runnable created) {
        try {
            dynamo.describeTable(b -> b.tableName(table));
        } catch (ResourceNotFoundException missing) {
            try {
                dynamo.createTable(b -> spec.accept(b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)));
                dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
                created.run();
            } catch (ResourceInUseException createdByAnotherInstance) {
                dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
            }
        }
    }
}
