package dev.vigil.deliver;

import dev.vigil.Headers;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.Channels;
import dev.vigil.model.Alert;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The MQTT channel's rendering (bean {@code mqttChannel}, route template mqttSend in 45-deliver-mqtt): the
 * Alert v1 JSON to {@code <prefix>/alerts/<type>/<camera>}. QoS 1 and never retained are the endpoint's
 * (an alert replayed to a later subscriber could open a door, as Double Take's retained match did).
 */
public class MqttChannel {

    /** camel-paho-mqtt5's header: the topic of this message. */
    static final String TOPIC = "CamelPahoMqtt5OverrideTopic";

    private final Channels.Mqtt config;
    private final ObjectMapper json;
    private final List<Consumer<Alert>> delivered = new CopyOnWriteArrayList<>();

    public MqttChannel(Channels.Mqtt config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    public Channels.Mqtt config() {
        return config;
    }

    public boolean accepts(Alert a) {
        return WebhookChannel.accepts(config.filter(), a);
    }

    public String topic(Alert a) {
        return config.prefix() + "/alerts/" + a.type().wire() + "/" + a.camera().id();
    }

    /** Replaces the body (an Alert) with its JSON and sets the topic; no other header goes to the broker. */
    public void render(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        Alert a = m.getMandatoryBody(Alert.class);
        exchange.setProperty(Headers.ALERT, a); // for sent(), once the body is the JSON
        m.removeHeaders("*");
        m.setHeader(TOPIC, topic(a));
        m.setBody(json.writeValueAsBytes(a));
    }

    /** After the broker acknowledged the alert: the Home Assistant "last alert" sensor follows. */
    public void sent(Exchange exchange) {
        Alert a = exchange.getProperty(Headers.ALERT, Alert.class);
        if (a != null) {
            delivered.forEach(l -> l.accept(a));
        }
    }

    public void onSent(Consumer<Alert> listener) {
        delivered.add(listener);
    }
}
