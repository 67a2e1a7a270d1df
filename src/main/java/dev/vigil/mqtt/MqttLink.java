package dev.vigil.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's one connection to the MQTT broker (bean {@code mqttClient} is its Paho client, which the mqttSend
 * route's paho-mqtt5 endpoint publishes alerts with). It owns what must hold on every (re)connect:
 * <ul>
 *   <li>the last will: {@code <prefix>/availability} = offline (retained), and online (retained) once connected;</li>
 *   <li>the retained state topics (arming mode, sensors, discovery): the latest value of each is published again
 *       after a reconnect, so Home Assistant never keeps a value the broker lost;</li>
 *   <li>the subscriptions (mode command, presence), subscribed again after a reconnect.</li>
 * </ul>
 * The first connection is tried in the background until it succeeds (Vigil starts while the broker is down);
 * after that Paho reconnects by itself. Work that publishes runs on one thread, never on Paho's callback thread.
 *
 * <p>Over 250 lines on purpose: the one connection's life (first connect, reconnect, last will, the
 * publishing thread and the subscriptions re-made after a reconnect) is one state machine.
 */
public class MqttLink implements MqttCallback, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    /** A subscription kept across reconnects. retainedToo: false ignores messages the broker kept from before. */
    private record Subscription(String topic, boolean retainedToo, BiConsumer<String, MqttMessage> handler) {
    }

    private final MqttClient client;
    private final MqttConnectionOptions options;
    private final String availability;
    private final Map<String, byte[]> retained = new LinkedHashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vigil-mqtt");
        t.setDaemon(true);
        return t;
    });
    private final long retryMs;
    private long connectWaitMs = 10_000;
    private volatile boolean closed;

    /**
     * @param url        tcp://host:port or ssl://host:port
     * @param socketFactory for ssl:// with a private CA, else null
     * @param retryMs    how long to wait between attempts while the broker is unreachable
     */
    public MqttLink(String url, String clientId, String username, String password, SocketFactory socketFactory,
                    String prefix, long retryMs) {
        try {
            this.client = new MqttClient(url.replaceFirst("^mqtts://", "ssl://").replaceFirst("^mqtt://", "tcp://"),
                    clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("MQTT client for " + url + ": " + e.getMessage(), e);
        }
        this.availability = prefix + "/availability";
        this.retryMs = retryMs;
        options = new MqttConnectionOptions();
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, (int) Math.max(1, retryMs / 1000));
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (socketFactory != null) {
            options.setSocketFactory(socketFactory);
        }
        MqttMessage will = new MqttMessage(bytes("offline"), 1, true, new MqttProperties());
        options.setWill(availability, will);
        client.setCallback(this);
    }

    public MqttClient client() {
        return client;
    }

    public String availabilityTopic() {
        return availability;
    }

    public boolean connected() {
        return client.isConnected();
    }

    /** How long {@link #awaitConnected} waits (vigil.mqtt.connect-wait-ms). */
    public void connectWait(long ms) {
        this.connectWaitMs = ms;
    }

    /**
     * Before an alert is published (route mqttSend): while the broker is away, waits up to
     * vigil.mqtt.connect-wait-ms for the connection to return, so the alert leaves as soon as it does instead of
     * at the next (ever longer) retry; then fails, and the channel's retries take over.
     */
    public void awaitConnected() throws InterruptedException {
        long deadline = System.nanoTime() + connectWaitMs * 1_000_000;
        while (!client.isConnected()) {
            if (closed || System.nanoTime() > deadline) {
                throw new IllegalStateException("not connected to the MQTT broker " + client.getServerURI());
            }
            Thread.sleep(50);
        }
    }

    /** Connects in the background, retrying every retryMs until the broker answers. */
    public void start() {
        Thread t = new Thread(() -> {
            while (!closed && !client.isConnected()) {
                try {
                    client.connect(options);
                    return; // connectComplete does the rest
                } catch (MqttException e) {
                    LOG.warn("MQTT: cannot connect to {} ({}); trying again in {} ms", client.getServerURI(),
                            e.getMessage(), retryMs);
                    sleep(retryMs);
                }
            }
        }, "vigil-mqtt-connect");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Sets a retained state topic (an empty payload removes it from the broker) and publishes it now when
     * connected; it is published again after every reconnect.
     */
    public void retain(String topic, String payload) {
        byte[] body = bytes(payload);
        synchronized (retained) {
            retained.put(topic, body); // an empty one too: a removal made while disconnected is published on connect
        }
        worker.execute(() -> publishRetained(topic, body));
    }

    /** Subscribes (now when connected, and after every reconnect). */
    public void subscribe(String topic, boolean retainedToo, BiConsumer<String, MqttMessage> handler) {
        Subscription s = new Subscription(topic, retainedToo, handler);
        subscriptions.add(s);
        worker.execute(() -> subscribe(s));
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        LOG.info("MQTT: {} {}", reconnect ? "reconnected to" : "connected to", serverURI);
        worker.execute(() -> {
            publishRetained(availability, bytes("online"));
            subscriptions.forEach(this::subscribe);
            Map<String, byte[]> copy;
            synchronized (retained) {
                copy = new LinkedHashMap<>(retained);
            }
            copy.forEach(this::publishRetained);
        });
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        LOG.warn("MQTT: disconnected from {} ({}); reconnecting", client.getServerURI(), response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("MQTT: {}", exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        // every subscription has its own listener
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    private void publishRetained(String topic, byte[] body) {
        if (!client.isConnected()) {
            return; // published again on connect
        }
        try {
            client.publish(topic, new MqttMessage(body, 1, true, new MqttProperties()));
        } catch (MqttException e) {
            LOG.warn("MQTT: cannot publish {} ({}); published again on reconnect", topic, e.getMessage());
        }
    }

    private void subscribe(Subscription s) {
        if (!client.isConnected()) {
            return;
        }
        MqttSubscription sub = new MqttSubscription(s.topic(), 1);
        if (!s.retainedToo()) {
            sub.setRetainHandling(2); // MQTT 5: the broker sends no retained message for this subscription
        }
        IMqttMessageListener listener = (topic, message) -> {
            if (message.isRetained() && !s.retainedToo()) {
                LOG.warn("MQTT: ignored a retained message on {}: only live commands are taken", topic);
                return;
            }
            worker.execute(() -> {
                try {
                    s.handler().accept(topic, message);
                } catch (RuntimeException e) {
                    LOG.warn("MQTT: message on {} failed: {}", topic, e.toString());
                }
            });
        };
        try {
            client.subscribe(new MqttSubscription[] {sub}, new IMqttMessageListener[] {listener});
        } catch (MqttException e) {
            LOG.warn("MQTT: cannot subscribe to {} ({})", s.topic(), e.getMessage());
        }
    }

    /** Runs {@code task} on the link's one worker thread (after what is queued). */
    public void run(Runnable task) {
        worker.execute(task);
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdown();
        try {
            worker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            if (client.isConnected()) {
                // a clean stop: offline is published by us (the will is only for a crash)
                client.publish(availability, new MqttMessage(bytes("offline"), 1, true, new MqttProperties()));
                client.disconnect(5000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT: closing: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
