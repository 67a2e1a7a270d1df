package dev.vigil.faces;

import dev.vigil.ApiToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.AwsClients;
import dev.vigil.config.Household;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Binds the face-collection beans: {@code faceCollection} (CLI and API), {@code facesApi} (the routes in
 * 51-api-people) and {@code apiGate}, the authentication of every API route (50-api). With {@code vigil.api.enabled=true} a token of 16+ characters is required, or start-up
 * stops with a ConfigException naming vigil.api.token.
 */
public final class FacesBeans {

    private FacesBeans() {
    }

    public static void bind(CamelContext context, PropertiesComponent props, Household household, AwsClients aws,
                            ObjectMapper json, Clock clock, Path dataDir) {
        FaceCollection faces = new FaceCollection(aws.rekognition(), household, new FaceAudit(dataDir, json, clock));
        context.getRegistry().bind("faceCollection", faces);
        boolean enabled = Boolean.parseBoolean(props.resolveProperty("vigil.api.enabled").orElse("false").trim());
        FacesApi api = new FacesApi(faces, json);
        context.getRegistry().bind("facesApi", api);
        ApiToken token = enabled ? ApiToken.from(props.resolveProperty("vigil.api.token").orElse(""),
                props.resolveProperty("vigil.api.token-file").orElse("")) : ApiToken.none();
        // the one authentication check of every API route (routes/50-api.camel.yaml)
        context.getRegistry().bind("apiGate", new dev.vigil.api.ApiGate(token, json));
        // the mode API and the image engine's trigger check through apiAuth: the same ApiToken.authorise
        context.getRegistry().bind("apiAuth", new dev.vigil.ApiAuth(token));
        // the REST routes and their OpenAPI document exist only with an HTTP server to serve them (replay,
        // redeliver, bench and faces run without one)
        boolean served = enabled && Boolean.parseBoolean(props.resolveProperty("vigil.http.enabled").orElse("true").trim());
        props.addOverrideProperty("vigil.api.served", Boolean.toString(served));
        if (!served) {
            String excluded = context.getAutoStartupExcludePattern();
            context.setAutoStartupExcludePattern((excluded == null || excluded.isBlank() ? "" : excluded + ",")
                    + "rest-api:*");
        }
        if (enabled) {
            try {
                context.addStartupListener(jsonTooLarge(json,
                        Integer.parseInt(props.resolveProperty("camel.server.port").orElse("8080").trim())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Bodies over 5 MB get a JSON 413 before they are read (camel.server.maxBodySize stops the rest). */
    private static StartupListener jsonTooLarge(ObjectMapper json, int port) {
        return new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // the server is up only once the context has fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                        VertxPlatformHttpRouter.getRouterNameFromPort(port));
                if (router == null) {
                    return;
                }
                byte[] body = json.writeValueAsBytes(Map.of("error", "request body too large: photos may be at most"
                        + " 5 MB (" + Photo.MAX_BYTES + " bytes)"));
                // runs before the server's body handler: a declared Content-Length over the limit is answered
                // at once; a chunked body over it still gets the server's own (plain) 413
                router.route().order(-1).handler(ctx -> {
                    String length = ctx.request().getHeader("Content-Length");
                    if (length != null && !length.isEmpty() && length.chars().allMatch(Character::isDigit)
                            && (length.length() > 18 || Long.parseLong(length) > Photo.MAX_BYTES)) {
                        ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                                .putHeader("Connection", "close").end(io.vertx.core.buffer.Buffer.buffer(body));
                    } else {
                        ctx.next();
                    }
                });
            }
        };
    }
}
