package dev.vigil.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.Json;
import dev.vigil.aws.AwsClients;
import dev.vigil.testing.Moto;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract on the shared store: DynamoDB and S3 of moto, table and bucket created by the store. */
class AwsHistoryStoreTest extends HistoryStoreContract {

    private AwsClients aws;

    @Override
    HistoryStore newStore() {
        Moto moto = Moto.fresh();
        aws = new AwsClients(Moto.REGION, moto.endpoint(), Map.of());
        return AwsHistoryStore.on(aws, "vigil-history", "vigil-history-test", Json.mapper()).start();
    }

    @AfterEach
    void closeClients() {
        aws.close();
    }

    @Test
    void aSecondInstanceSeesTheSameHistoryAndFindsTableAndBucketThere() {
        store.record(known("k1", T0, "alice"));
        store.putImage("k1", ImageKind.FACE, new byte[] {9});

        try (HistoryStore other = AwsHistoryStore.on(aws, "vigil-history", "vigil-history-test", Json.mapper()).start()) {
            other.record(known("k1", T0, "alice"));
            assertEquals(1, other.count());
            assertEquals(9, other.image("k1", ImageKind.FACE).orElseThrow()[0]);
        }
    }
}
