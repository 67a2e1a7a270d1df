package dev.vigil.ingest.kinesis;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code kinesis-results:<application>}: consumes the Rekognition results streams of every camera in the
 * household with the Kinesis Client Library (leases and checkpoints in DynamoDB), at least once, and
 * checkpoints a record only when it is fully handled and no decision depends on it any more.
 */
public class KinesisResultsComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KinesisResultsEndpoint endpoint = new KinesisResultsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
