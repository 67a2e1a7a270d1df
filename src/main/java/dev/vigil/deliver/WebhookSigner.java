package dev.vigil.deliver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Signs a webhook body: {@code X-Vigil-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">}.
 * The body must already be the exact bytes that will be sent.
 */
public class WebhookSigner implements Processor {

    public static final String SIGNATURE_HEADER = "X-Vigil-Signature";

    private final SecretKeySpec key;
    private final Clock clock;

    public WebhookSigner(String secret, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        byte[] body = exchange.getMessage().getMandatoryBody(byte[].class);
        exchange.getMessage().setHeader(SIGNATURE_HEADER, sign(body));
    }

    /** The header value for this body, signed now. */
    public String sign(byte[] body) {
        return signature(clock.instant().getEpochSecond(), body);
    }

    public String signature(long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
