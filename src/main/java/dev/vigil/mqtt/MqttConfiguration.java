package dev.vigil.mqtt;

import dev.vigil.arming.Arming;
import dev.vigil.arming.ArmingRules;
import dev.vigil.arming.ModeApi;
import dev.vigil.arming.ModeState;
import dev.vigil.config.Channels;
import dev.vigil.config.Household;
import dev.vigil.config.ConfigException;
import dev.vigil.config.AreaConfiguration;
import dev.vigil.decide.Decider;
import dev.vigil.deliver.ChannelDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arming rules ({@code armingRules}, always) and, with {@code channels.mqtt} in the household file,
 * Vigil's MQTT connection ({@code mqttLink}, its client {@code mqttClient}), Home Assistant's entities
 * ({@code homeAssistant}) and the MQTT side of arming: the select's command topic and the presence topics.
 */
public class MqttConfiguration extends AreaConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConfiguration.class);

    @BeanInject("arming")
    Arming arming;

    @BeanInject("decider")
    Decider decider;

    private final Function<String, String> env;

    public MqttConfiguration(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public void configure(CamelContext context) {
        ArmingRules rules = new ArmingRules(arming, household);
        context.getRegistry().bind("armingRules", rules);
        dev.vigil.live.LiveHousehold live = context.getRegistry().lookupByNameAndType("liveHousehold",
                dev.vigil.live.LiveHousehold.class);
        if (live != null) {
            live.onChange(rules::household);
        }
        ChannelDirectory channels = context.getRegistry().lookupByNameAndType("channels", ChannelDirectory.class);
        Channels.Mqtt m = household.channels().mqtt();
        if (m == null || channels == null || channels.mqtt() == null) {
            return;
        }
        String url = ChannelDirectory.secret("channels.mqtt", "url", m.url(), m.urlEnv(), null, env);
        String user = ChannelDirectory.secret("channels.mqtt", "username", m.username(), m.usernameEnv(), null, env);
        String password = ChannelDirectory.secret("channels.mqtt", "password", null, m.passwordEnv(), m.passwordFile(), env);
        long retryMs = settings.whole("vigil.mqtt.reconnect-ms", 1);
        MqttLink link = new MqttLink(url, m.clientId(), user, password, tls(m), m.prefix(), retryMs);
        link.connectWait(settings.whole("vigil.mqtt.connect-wait-ms", 0));
        HomeAssistant ha = new HomeAssistant(link, m, json, dataDir, clock);
        context.getRegistry().bind("mqttChannel", channels.mqtt());
        context.getRegistry().bind("mqttLink", link);
        context.getRegistry().bind("mqttClient", link.client());
        context.getRegistry().bind("homeAssistant", ha);

        ha.apply(household);
        ha.mode(arming.state());
        arming.onChange(ha::mode);
        channels.mqtt().onSent(ha::lastAlert);
        decider.watch(ha);
        link.subscribe(ha.modeCommandTopic(), false, (topic, message) -> {
            String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
            var mode = payload.isBlank() ? null : ModeApi.parse(payload);
            if (mode == null) {
                LOG.warn("MQTT: ignored a command on {}: use home, away or night", topic);
                return;
            }
            arming.set(mode, ModeState.Reason.MANUAL, "home assistant");
        });
        java.util.Set<String> presenceTopics = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.function.Consumer<Household> presence = h -> h.presence().values().stream().map(p -> p.topic())
                .filter(presenceTopics::add).forEach(topic -> link.subscribe(topic, true, (t, message) ->
                        rules.presenceMessage(t, new String(message.getPayload(), StandardCharsets.UTF_8))));
        presence.accept(household);
        if (live != null) {
            live.onChange(ha::apply);
            live.onChange(presence); // topics no longer in the household map to nobody: their messages are ignored
        }
        try {
            context.addService(new org.apache.camel.support.service.ServiceSupport() {
                @Override
                protected void doStart() {
                    link.start();
                }

                @Override
                protected void doStop() {
                    ha.close();
                    link.close(); // publishes offline: a clean stop is not a crash
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** ssl:// with caFile: trust only that CA; otherwise the JVM's trusted CAs (or no TLS for tcp://). */
    private static SocketFactory tls(Channels.Mqtt m) {
        if (m.caFile() == null) {
            return null;
        }
        try (var in = Files.newInputStream(Path.of(m.caFile()))) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, (X509Certificate) cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl.getSocketFactory();
        } catch (Exception e) {
            throw new ConfigException("channels.mqtt.caFile: cannot read a PEM certificate from " + m.caFile() + " ("
                    + e.getMessage() + ")");
        }
    }
}
