package dev.vigil.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private static final String SECRET = "whsec_test_0123456789";
    private static final Instant NOW = Instant.parse("2024-03-05T14:00:07.250Z");
    private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String BODY = "{\"version\":\"1\",\"id\":\"a1\",\"type\":\"unknown_face\",\"camera\":\"café\"}";

    private final WebhookSigner signer = new WebhookSigner(SECRET, FIXED);

    @Test
    void signatureHasTimestampAndSixtyFourHexDigits() {
        String signature = signer.signature(1_709_647_207L, bytes(BODY));

        assertTrue(signature.matches("t=1709647207,v1=[0-9a-f]{64}"), signature);
    }

    @Test
    void signatureIsHmacSha256OfTimestampDotBody() throws Exception {
        long t = 1_709_647_207L;

        String signature = signer.signature(t, bytes(BODY));

        assertEquals("t=" + t + ",v1=" + hmacSha256Hex(SECRET, t + "." + BODY), signature);
    }

    @Test
    void differentBodyGivesDifferentSignature() {
        long t = 1_709_647_207L;

        assertNotEquals(signer.signature(t, bytes(BODY)), signer.signature(t, bytes(BODY + " ")));
        assertNotEquals(v1(signer.signature(t, bytes("{\"a\":1}"))), v1(signer.signature(t, bytes("{\"a\":2}"))));
    }

    @Test
    void differentTimestampGivesDifferentSignature() {
        assertNotEquals(v1(signer.signature(1_709_647_207L, bytes(BODY))),
                v1(signer.signature(1_709_647_208L, bytes(BODY))));
    }

    @Test
    void differentSecretGivesDifferentSignature() {
        WebhookSigner other = new WebhookSigner("another-secret", FIXED);

        assertNotEquals(signer.signature(1L, bytes(BODY)), other.signature(1L, bytes(BODY)));
    }

    @Test
    void processSignsTheExchangeBodyWithTheClockTimeInWholeSeconds() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        try {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(bytes(BODY));

            signer.process(exchange);

            String header = exchange.getMessage().getHeader(WebhookSigner.SIGNATURE_HEADER, String.class);
            long t = NOW.getEpochSecond();
            assertEquals("t=" + t + ",v1=" + hmacSha256Hex(SECRET, t + "." + BODY), header);
            assertEquals(BODY, exchange.getMessage().getBody(String.class), "the body is left as it was");
        } finally {
            camel.close();
        }
    }

    @Test
    void processSignsAStringBodyAsItsUtf8Bytes() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        try {
            Exchange exchange = new DefaultExchange(camel);
            exchange.setProperty(Exchange.CHARSET_NAME, "UTF-8");
            exchange.getMessage().setBody(BODY);

            signer.process(exchange);

            long t = NOW.getEpochSecond();
            assertEquals("t=" + t + ",v1=" + hmacSha256Hex(SECRET, t + "." + BODY),
                    exchange.getMessage().getHeader(WebhookSigner.SIGNATURE_HEADER));
        } finally {
            camel.close();
        }
    }

    private static String hmacSha256Hex(String secret, String signedText) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signedText.getBytes(StandardCharsets.UTF_8)));
    }

    private static String v1(String signature) {
        return signature.substring(signature.indexOf(",v1=") + 4);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
