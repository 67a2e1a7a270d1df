package dev.vigil.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;

/**
 * moto's Kinesis Video control plane with the one operation moto 5.2.1 lacks and provisioning needs:
 * ListTagsForStream (moto answers 404). Every request is proxied to moto; ListTagsForStream is answered from
 * moto's own state (the tags CreateStream stored, read from /moto-api/data.json), so it can only report what
 * Vigil really sent to moto.
 */
public final class MotoKinesisVideo implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WireMockServer server;
    private final String moto;

    public MotoKinesisVideo(String motoEndpoint) {
        this.moto = motoEndpoint;
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new Tags()));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(motoEndpoint)));
        server.stubFor(post(urlEqualTo("/listTagsForStream")).atPriority(1)
                .willReturn(aResponse().withTransformers(Tags.NAME)));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The streams moto holds, as stored (stream_name, data_retention_in_hours, kms_key_id, tags...). */
    public JsonNode streams() {
        try {
            return JSON.readTree(URI.create(moto + "/moto-api/data.json").toURL()).path("kinesisvideo").path("Stream");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Tags extends NamedTransformer {
        static final String NAME = "moto-kvs-tags";

        Tags() {
            super(NAME);
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                JsonNode in = JSON.readTree(event.getRequest().getBodyAsString());
                for (JsonNode s : streams()) {
                    if (s.path("stream_name").asText().equals(in.path("StreamName").asText())
                            || s.path("arn").asText().equals(in.path("StreamARN").asText())) {
                        ObjectNode out = JSON.createObjectNode();
                        out.set("Tags", s.path("tags").isObject() ? s.get("tags") : JSON.createObjectNode());
                        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                                .withBody(out.toString()).build();
                    }
                }
                return aResponse().withStatus(404).withHeader("x-amzn-ErrorType", "ResourceNotFoundException")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"Message\":\"The requested stream is not found or not active.\"}").build();
            } catch (java.io.IOException e) {
                return aResponse().withStatus(400).build();
            }
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
