package dev.vigil.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A test's MQTT client (Eclipse Paho, MQTT 5), as Home Assistant or any subscriber is: records every message
 * it gets, in order. {@code persistent}: a session that outlives disconnects (clean start off, one hour expiry),
 * so QoS 1 messages published while it is away are delivered when it returns.
 */
public final class MqttProbe implements MqttCallback, AutoCloseable {

    /** A message as received. */
    public record Received(String topic, String payload, int qos, boolean retained, long at) {
    }

    private final MqttClient client;
    private final boolean persistent;
    private final List<Received> received = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();

    private final java.util.function.Consumer<MqttConnectionOptions> options;

    public MqttProbe(String url, String clientId, boolean persistent) throws MqttException {
        this(url, clientId, persistent, o -> { });
    }

    /** @param options e.g. TLS (socket factory) and credentials */
    public MqttProbe(String url, String clientId, boolean persistent,
                     java.util.function.Consumer<MqttConnectionOptions> options) throws MqttException {
        this.client = new MqttClient(url, clientId, new MemoryPersistence());
        this.persistent = persistent;
        this.options = options;
        client.setCallback(this);
        connect(true);
    }

    public MqttProbe subscribe(String topic) throws MqttException {
        topics.add(topic);
        client.subscribe(topic, 1);
        return this;
    }

    /** Connects again; a persistent session is resumed, not started afresh (fresh only on the first connect). */
    public void connect(boolean first) throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(!persistent || first);
        if (persistent) {
            options.setSessionExpiryInterval(3600L);
        }
        options.setAutomaticReconnect(false);
        this.options.accept(options);
        IMqttToken token = client.connectWithResult(options);
        if (!first && !token.getSessionPresent()) {
            for (String topic : topics) { // the broker lost the session (restarted): subscribe again
                client.subscribe(topic, 1);
            }
        }
    }

    public void disconnect() throws MqttException {
        client.disconnect();
    }

    public void publish(String topic, String payload, boolean retained) throws MqttException {
        client.publish(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, retained, new MqttProperties()));
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized List<Received> on(String topicPrefix) {
        return received.stream().filter(r -> r.topic().startsWith(topicPrefix)).toList();
    }

    /** The latest payload on a topic, or null. */
    public synchronized String last(String topic) {
        for (int i = received.size() - 1; i >= 0; i--) {
            if (received.get(i).topic().equals(topic)) {
                return received.get(i).payload();
            }
        }
        return null;
    }

    @Override
    public synchronized void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
                message.isRetained(), System.currentTimeMillis()));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
