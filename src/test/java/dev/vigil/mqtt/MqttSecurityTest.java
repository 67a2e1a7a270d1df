package dev.vigil.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vigil.testing.Fixtures;
import dev.vigil.testing.Mosquitto;
import dev.vigil.testing.MqttProbe;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Streams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT channel against a Mosquitto that takes only TLS (a private CA, channels.mqtt.caFile) and a user
 * name and password (passwordFile): alerts arrive; with a wrong password Vigil never gets in and says why.
 */
class MqttSecurityTest {

    static final String PASSWORD = "broker-password-0123456789";

    @TempDir
    Path dir;

    @Test
    void tlsWithAPrivateCaAndAPasswordFromAFile() throws Exception {
        Path certs = certificates(Files.createDirectories(dir.resolve("certs")));
        Path passwords = dir.resolve("passwords");
        run("mosquitto_passwd", "-b", "-c", passwords.toString(), "vigil", PASSWORD);
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        Files.writeString(dir.resolve("wrong-password"), "not-the-password\n");
        try (Mosquitto broker = new Mosquitto(dir.resolve("broker"), List.of("allow_anonymous false",
                "password_file " + passwords, "cafile " + certs.resolve("ca.pem"),
                "certfile " + certs.resolve("server.pem"), "keyfile " + certs.resolve("server.key")))) {
            String url = "ssl://127.0.0.1:" + broker.port();
            try (MqttProbe ha = new MqttProbe(url, "ha", false, o -> secure(o, certs));
                 RunningVigil vigil = vigil(broker, certs, "password")) {
                ha.subscribe("vigil/#");
                Fixtures.realUnknownPair().forEach(r -> vigil.record(r, "pair"));
                Streams.await(Duration.ofSeconds(20), () -> !ha.on("vigil/alerts/").isEmpty(), "the alert over TLS");
                assertEquals("online", ha.last("vigil/availability"));
            }
            try (MqttProbe ha = new MqttProbe(url, "ha2", false, o -> secure(o, certs));
                 RunningVigil vigil = vigil(broker, certs, "wrong-password")) {
                ha.subscribe("vigil/alerts/#");
                TimeUnit.SECONDS.sleep(3);
                assertFalse(vigil.main().getCamelContext().getRegistry().lookupByNameAndType("mqttLink", MqttLink.class)
                        .connected(), "a wrong password does not get in");
                assertEquals(List.of(), ha.received());
            }
        }
    }

    RunningVigil vigil(Mosquitto broker, Path certs, String passwordFile) throws Exception {
        Path household = Fixtures.write(dir.resolve("household-" + passwordFile + ".yaml"), """
                cameras:
                  - {id: lab, name: Lab camera, kvsStream: face_recognition}
                policy:
                  thresholds: {maxYaw: 80}
                channels:
                  mqtt:
                    url: ssl://127.0.0.1:%d
                    caFile: %s
                    username: vigil
                    passwordFile: %s
                """.formatted(broker.port(), certs.resolve("ca.pem"), dir.resolve(passwordFile)));
        return new RunningVigil(dir.resolve("data-" + passwordFile), Map.of("vigil.config", household.toString(),
                "vigil.mqtt.reconnect-ms", "1000"));
    }

    static void secure(MqttConnectionOptions o, Path certs) {
        try (var in = Files.newInputStream(certs.resolve("ca.pem"))) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            o.setSocketFactory(ssl.getSocketFactory());
            o.setUserName("vigil");
            o.setPassword(PASSWORD.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A private CA and a server certificate for 127.0.0.1 signed by it (openssl). */
    static Path certificates(Path d) throws Exception {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=vigil-test-ca",
                "-keyout", d.resolve("ca.key").toString(), "-out", d.resolve("ca.pem").toString());
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", d.resolve("server.key").toString(), "-out", d.resolve("server.csr").toString());
        Files.writeString(d.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        run("openssl", "x509", "-req", "-in", d.resolve("server.csr").toString(), "-CA", d.resolve("ca.pem").toString(),
                "-CAkey", d.resolve("ca.key").toString(), "-CAcreateserial", "-days", "1",
                "-extfile", d.resolve("san.ext").toString(), "-out", d.resolve("server.pem").toString());
        return d;
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }
}
