package dev.vigil.deliver;

import dev.vigil.model.Alert;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ses.SesClient;

/** The email channel's SES transport: SendRawEmail of the same MIME message the SMTP transport sends. */
public class SesSender implements Processor {

    private final SesClient ses;
    private final EmailChannel email;

    public SesSender(SesClient ses, EmailChannel email) {
        this.ses = ses;
        this.email = email;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Alert alert = exchange.getMessage().getMandatoryBody(Alert.class);
        byte[] mime = email.mime(alert, email.snapshot(exchange), email.clip(exchange));
        ses.sendRawEmail(b -> b.rawMessage(m -> m.data(SdkBytes.fromByteArray(mime))));
    }
}
