package dev.vigil.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.model.Alert;
import dev.vigil.model.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;

/** Distinct alerts for delivery tests: the documented unknown_face example with a fresh id. */
public final class Alerts {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private Alerts() {
    }

    public static Alert example(String type) {
        try {
            return JSON.readValue(Path.of("docs/alert-v1-examples/" + type + ".json").toFile(), Alert.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new unknown_face alert (its own id) of this severity. */
    public static Alert unknownFace(Severity severity) {
        Alert a = example("unknown_face");
        return new Alert(a.version(), UUID.randomUUID().toString(), a.type(), severity, a.reason(), a.camera(), a.person(),
                a.visit(), a.observedAt(), a.expiresAt(), a.stale(), a.replayed(), a.face(), a.source());
    }

    /** A new unknown_face alert seen now, expiring after {@code ttl} (as the policy's alertTtl would set it). */
    public static Alert live(java.time.Duration ttl) {
        Alert a = example("unknown_face");
        java.time.Instant now = java.time.Instant.now();
        return new Alert(a.version(), UUID.randomUUID().toString(), a.type(), Severity.WARNING, a.reason(), a.camera(),
                a.person(), a.visit(), now, now.plus(ttl), false, false, a.face(), a.source());
    }

    public static Alert unknownFace() {
        return unknownFace(Severity.WARNING);
    }
}
