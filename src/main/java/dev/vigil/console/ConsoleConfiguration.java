package dev.vigil.console;

import dev.vigil.ApiToken;
import dev.vigil.config.ConfigException;
import dev.vigil.config.AreaConfiguration;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console's beans (docs/console.md), bound in configure() because it must run before the API's
 * (FacesConfiguration): it decides vigil.api.enabled and the token file they read: the console needs the
 * API, so {@code vigil.web.enabled} turns {@code vigil.api.enabled} on, and when no API token is configured
 * one is generated into {@code <vigil.data.dir>/api-token} (owner-only) and used as VIGIL_API_TOKEN_FILE
 * (unless vigil.api.enabled=true was set explicitly: then a missing token stops start-up, as without console).
 * {@code consoleLinks} (links.console in alerts) and {@code consoleStatus} (the status API) are bound either way.
 */
public class ConsoleConfiguration extends AreaConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent props = context.getPropertiesComponent();
        String publicUrl = settings.optional("vigil.web.public-url").orElse("");
        if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[^\\s/]+(/\\S*)?")) {
            throw new ConfigException("vigil.web.public-url: \"" + publicUrl + "\" is not an http(s) address; give the"
                    + " address people open the console at, e.g. https://vigil.home.example, or leave it empty");
        }
        context.getRegistry().bind("consoleLinks", new ConsoleLinks(publicUrl));
        // GET /api/status and the redeliver API: part of the API (vigil.api.enabled), the console's Health page
        context.getRegistry().bind("consoleStatus", new ConsoleStatus(household, dataDir.resolve("dead-letters"), json));
        boolean enabled = settings.flag("vigil.web.enabled") && settings.flag("vigil.http.enabled");
        props.addOverrideProperty("vigil.web.enabled", Boolean.toString(enabled));
        if (!enabled) {
            return;
        }
        boolean apiAsked = settings.flag("vigil.api.enabled"); // then a missing token is a mistake: stop
        props.addOverrideProperty("vigil.api.enabled", "true");
        String tokenFile = settings.optional("vigil.api.token-file").orElse("");
        String generated = null;
        if (!apiAsked && settings.optional("vigil.api.token").isEmpty() && tokenFile.isEmpty()) {
            generated = generatedToken(dataDir.resolve("api-token")).toString();
            props.addOverrideProperty("vigil.api.token-file", generated);
        }
        ApiToken token = ApiToken.from(settings.text("vigil.api.token"), settings.text("vigil.api.token-file"),
                "vigil.web.enabled");
        WebSessions sessions = new WebSessions(settings.positiveDuration("vigil.web.session-idle"),
                settings.text("vigil.web.secure-cookies"), clock);
        int attempts = settings.whole("vigil.web.sign-in-attempts", 1);
        RateLimiterRegistry failures = RateLimiterRegistry.of(RateLimiterConfig.custom().limitForPeriod(attempts)
                .limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).build());
        context.getRegistry().bind(ApiToken.SESSIONS_BEAN, sessions);
        PasswordHash password = password();
        context.getRegistry().bind("signIn", new SignIn(token, password, sessions, failures, json));
        context.getRegistry().bind("consolePages", new ConsolePages());
        try {
            context.addStartupListener(announce(publicUrl, generated, password != null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One INFO line once the server is up: where the console is and what signs in (never the secret itself). */
    private StartupListener announce(String publicUrl, String generatedFile, boolean password) {
        return (context, alreadyStarted) -> {
            String host = settings.text("vigil.http.host");
            String url = !publicUrl.isEmpty() ? publicUrl : "http://" + (host.equals("0.0.0.0") || host.isEmpty()
                    ? "localhost" : host) + ":" + settings.text("vigil.http.port") + "/";
            LOG.info("Web console: {} (sign in with the API token{}{})", url,
                    generatedFile == null ? "" : " in " + generatedFile, password ? " or the household password" : "");
        };
    }

    private static Path generatedToken(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the data directory's own permissions protect it
                }
                Files.writeString(file, HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.UTF_8);
            }
            return file;
        } catch (IOException e) {
            throw new ConfigException("vigil.api.token: no token is configured and none can be generated in " + file
                    + " (" + e.getMessage() + "); set VIGIL_API_TOKEN or make vigil.data.dir writable");
        }
    }

    private PasswordHash password() {
        String hash = settings.optional("vigil.web.password-hash").orElse("");
        String file = settings.optional("vigil.web.password-hash-file").orElse("");
        if (hash.isEmpty() && !file.isEmpty()) {
            try {
                hash = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new ConfigException("vigil.web.password-hash-file: cannot read " + file + " (" + e.getMessage()
                        + "); point VIGIL_WEB_PASSWORD_HASH_FILE at a readable file");
            }
        }
        return hash.isEmpty() ? null : PasswordHash.parse(hash, "vigil.web.password-hash");
    }


}
