package dev.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.RunningVigil;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict booleans: a typo stops start-up naming the key, instead of reading as false. */
class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void trueAndFalseAreReadInAnyCase() {
        Settings s = new Settings(Map.of("a", "true", "b", " FALSE ", "c", "True")::get);
        assertTrue(s.flag("a"));
        assertFalse(s.flag("b"));
        assertTrue(s.flag("c"));
    }

    @Test
    void aMistypedBooleanIsAConfigExceptionNamingTheKeyAndTheFix() {
        Settings s = new Settings(Map.of("vigil.outbox.enabled", "ture")::get);
        ConfigException e = assertThrows(ConfigException.class, () -> s.flag("vigil.outbox.enabled"));
        assertEquals("vigil.outbox.enabled: \"ture\" is not a boolean; write true or false (the environment variable "
                + "VIGIL_OUTBOX_ENABLED works too)", e.getMessage());
    }

    @Test
    void aMistypedBooleanStopsStartUp() {
        Exception e = assertThrows(Exception.class, () -> new RunningVigil(dir.resolve("data"),
                Map.of("vigil.http.enabled", "false", "vigil.console.enabled", "flase")).close());
        Throwable t = e;
        while (!(t instanceof ConfigException) && t.getCause() != null) {
            t = t.getCause();
        }
        assertTrue(t instanceof ConfigException && t.getMessage().startsWith("vigil.console.enabled: \"flase\""),
                e.toString());
    }
}
