package dev.vigil.config;

/** A configuration problem that stops start-up; the message names the key and the fix. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
