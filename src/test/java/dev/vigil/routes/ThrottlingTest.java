package dev.vigil.routes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.vigil.model.Alert;
import dev.vigil.testing.Alerts;
import dev.vigil.testing.Fixtures;
import dev.vigil.testing.Moto;
import dev.vigil.testing.RunningVigil;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * AWS throttling on the SNS and SES channels: a fault-injecting proxy (WireMock) in front of moto answers the
 * first publishes or sends with the service's real throttling error (HTTP 400, code Throttling), then passes
 * everything on. The AWS SDK retries, then Vigil's retry lane: nothing is lost, the failed tries are
 * counted in vigil_delivery_retries_total{cause="throttled"} and every throttled attempt in
 * vigil_aws_throttled_total{service,operation}.
 */
class ThrottlingTest {

    private static final int THROTTLED = 5; // more than the SDK's own 3 attempts: Vigil's retries must carry on

    @TempDir
    Path dir;
    private Moto moto;
    private WireMockServer proxy;

    @BeforeEach
    void start() {
        moto = Moto.fresh();
        proxy = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        proxy.start();
        proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(moto.endpoint())));
    }

    @AfterEach
    void stop() {
        proxy.stop();
    }

    /** The first {@link #THROTTLED} requests of this action answer HTTP 400 Throttling; then they reach moto. */
    private void throttle(String action, String xmlns, String message) {
        for (int i = 0; i < THROTTLED; i++) {
            proxy.stubFor(post(anyUrl()).atPriority(1).withRequestBody(containing("Action=" + action))
                    .inScenario(action).whenScenarioStateIs(i == 0 ? Scenario.STARTED : "throttled-" + i)
                    .willSetStateTo("throttled-" + (i + 1))
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml").withBody(
                            "<ErrorResponse xmlns=\"" + xmlns + "\"><Error><Type>Sender</Type><Code>Throttling</Code>"
                                    + "<Message>" + message + "</Message></Error><RequestId>fault-" + i
                                    + "</RequestId></ErrorResponse>")));
        }
    }

    private RunningVigil vigil(String channels) throws Exception {
        return new RunningVigil(dir.resolve("data"), Map.of("vigil.config",
                Fixtures.exampleHouseholdWith(dir, channels).toString(), "vigil.aws.endpoint", moto.endpoint(),
                "vigil.aws.endpoints.sns", proxy.baseUrl(), "vigil.aws.endpoints.ses", proxy.baseUrl(),
                "vigil.aws.region", Moto.REGION, "vigil.delivery.retry-initial", "50ms",
                "vigil.delivery.retry-max", "200ms", "vigil.rate-guard.max", "0"));
    }

    @Test
    void snsThrottlingIsRetriedUntilEveryAlertIsPublishedAndCounted() throws Exception {
        String topic;
        try (SnsClient sns = SnsClient.builder().endpointOverride(URI.create(moto.endpoint()))
                .region(Region.of(Moto.REGION)).build()) {
            topic = sns.createTopic(b -> b.name("vigil-alerts")).topicArn();
        }
        throttle("Publish", "http://sns.amazonaws.com/doc/2010-03-31/", "Rate exceeded");
        List<Alert> alerts = List.of(live(), live(), live());
        try (RunningVigil vigil = vigil("channels:\n  sns:\n    topicArn: " + topic + "\n")) {
            long start = System.nanoTime();
            alerts.forEach(vigil::deliverLive);
            DeliveryFaultTest.await(() -> published("sns", "Topic", "sent_notifications") >= alerts.size(), 30_000,
                    "every alert published");
            long drained = (System.nanoTime() - start) / 1_000_000;
            awaitNothingPending(vigil, "sns");
            double retries = retries(vigil, "sns");
            assertTrue(retries >= 1, "throttled tries counted: " + retries);
            assertEquals(alerts.size(), published("sns", "Topic", "sent_notifications"), "each once");
            assertEquals(THROTTLED, throttled(vigil, "SNS", "Publish"), "each throttled attempt counted once");
            System.out.printf("FAULT SNS throttling (%d x Throttling): %d alerts, published %d, duplicated 0, %.0f "
                    + "throttled tries retried by Vigil (after the SDK's own), vigil_aws_throttled_total %.0f; drained "
                    + "in %d ms%n", THROTTLED, alerts.size(), published("sns", "Topic", "sent_notifications"), retries,
                    throttled(vigil, "SNS", "Publish"), drained);
        }
        assertEquals(List.of(), Fixtures.files(dir.resolve("data/dead-letters")));
    }

    @Test
    void sesThrottlingIsRetriedUntilEveryAlertIsSentAndCounted() throws Exception {
        try (SesClient ses = SesClient.builder().endpointOverride(URI.create(moto.endpoint()))
                .region(Region.of(Moto.REGION)).build()) {
            ses.verifyEmailIdentity(b -> b.emailAddress("vigil@example.org"));
        }
        throttle("SendRawEmail", "http://ses.amazonaws.com/doc/2010-12-01/", "Maximum sending rate exceeded.");
        List<Alert> alerts = List.of(live(), live(), live());
        try (RunningVigil vigil = vigil(Fixtures.SES_EMAIL_CHANNEL)) {
            long start = System.nanoTime();
            alerts.forEach(vigil::deliverLive);
            DeliveryFaultTest.await(() -> published("ses", "RawMessage", null) >= alerts.size(), 30_000,
                    "every alert sent");
            long drained = (System.nanoTime() - start) / 1_000_000;
            awaitNothingPending(vigil, "email");
            double retries = retries(vigil, "email");
            assertTrue(retries >= 1, "throttled tries counted: " + retries);
            assertEquals(alerts.size(), published("ses", "RawMessage", null), "each once");
            assertEquals(THROTTLED, throttled(vigil, "SES", "SendRawEmail"), "each throttled attempt counted once");
            System.out.printf("FAULT SES throttling (%d x Throttling): %d alerts, sent %d, duplicated 0, %.0f throttled "
                    + "tries retried by Vigil, vigil_aws_throttled_total %.0f; drained in %d ms%n", THROTTLED,
                    alerts.size(), alerts.size(), retries, throttled(vigil, "SES", "SendRawEmail"), drained);
        }
        assertEquals(List.of(), Fixtures.files(dir.resolve("data/dead-letters")));
    }

    private static Alert live() {
        return Alerts.live(Duration.ofMinutes(5));
    }

    /** What moto holds: SNS notifications sent on the first topic, or SES raw messages. */
    private int published(String service, String kind, String field) {
        try {
            JsonNode node = new ObjectMapper().readTree(URI.create(moto.endpoint() + "/moto-api/data.json").toURL())
                    .path(service).path(kind);
            return field == null ? node.size() : node.path(0).path(field).size();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void awaitNothingPending(RunningVigil vigil, String channel) throws InterruptedException {
        MeterRegistry metrics = vigil.main().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry",
                MeterRegistry.class);
        DeliveryFaultTest.await(() -> metrics.get("vigil.channel.pending").tag("channel", channel).gauge().value() == 0,
                10_000, channel + ": nothing pending");
    }

    /** vigil_aws_throttled_total{service,operation}: every attempt the SDK saw throttled (AwsCallMetrics). */
    private static double throttled(RunningVigil vigil, String service, String operation) {
        var c = vigil.main().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class)
                .find("vigil.aws.throttled").tag("service", service).tag("operation", operation).counter();
        return c == null ? 0 : c.count();
    }

    private static double retries(RunningVigil vigil, String channel) {
        var c = vigil.main().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class)
                .find("vigil.delivery.retries").tag("channel", channel).tag("cause", "throttled").counter();
        return c == null ? 0 : c.count();
    }
}
