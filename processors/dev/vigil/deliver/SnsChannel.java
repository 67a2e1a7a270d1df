package dev.vigil.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.config.Channels;
import dev.vigil.model.Alert;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The SNS channel's rendering. One publish per alert with MessageStructure=json: "default", "email" and
 * "email-json"... get text or JSON as their protocol reads best; message attributes are exactly type,
 * severity, camera and (when there is one) person — nothing else of the exchange becomes an attribute.
 */
public class SnsChannel {

    /** Camel aws2-sns headers (not turned into attributes). */
    static final String SUBJECT = "CamelAwsSnsSubject";
    static final String STRUCTURE = "CamelAwsSnsMessageStructure";

    private final Channels.Sns config;
    private final AlertText text;
    private final ObjectMapper json;

    public SnsChannel(Channels.Sns config, AlertText text, ObjectMapper json) {
        this.config = config;
        this.text = text;
        this.json = json;
    }

    public String topicArn() {
        return config.topicArn();
    }

    public boolean accepts(Alert a) {
        return WebhookChannel.accepts(config.filter(), a);
    }

    public void render(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        Alert a = m.getMandatoryBody(Alert.class);
        m.removeHeaders("*");
        String alertJson = json.writeValueAsString(a);
        ObjectNode perProtocol = json.createObjectNode()
                .put("default", text.message(a))
                .put("email", text.message(a))
                .put("sms", text.title(a))
                .put("http", alertJson)
                .put("https", alertJson)
                .put("sqs", alertJson)
                .put("lambda", alertJson)
                .put("firehose", alertJson);
        m.setHeader(SUBJECT, subject(text.title(a)));
        m.setHeader(STRUCTURE, "json");
        m.setHeader("type", a.type().wire());
        m.setHeader("severity", a.severity().wire());
        m.setHeader("camera", a.camera().id());
        if (a.person() != null && a.person().id() != null) {
            m.setHeader("person", a.person().id());
        }
        m.setBody(json.writeValueAsString(perProtocol));
    }

    /** SNS subjects: ASCII, no line breaks, under 100 characters. */
    static String subject(String title) {
        String ascii = title.replaceAll("[^\\x20-\\x7E]", "?");
        return ascii.length() < 100 ? ascii : ascii.substring(0, 96) + "...";
    }
}
