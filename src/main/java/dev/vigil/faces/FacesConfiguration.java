package dev.vigil.faces;

import dev.vigil.ApiToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.AreaConfiguration;
import java.util.Map;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The face-collection beans: {@code faceCollection} (CLI and API), {@code facesApi} (the routes in
 * 51-api-people) and {@code apiGate}, the authentication of every API route (50-api). With {@code vigil.api.enabled=true} a token of 16+ characters is required, or start-up
 * stops with a ConfigException naming vigil.api.token.
 */
public class FacesConfiguration extends AreaConfiguration {

    private FaceCollection faces;

    @BindToRegistry
    public FaceCollection faceCollection() {
        if (faces == null) {
            faces = new FaceCollection(aws::rekognition, household, new FaceAudit(dataDir, json, clock));
        }
        return faces;
    }

    @BindToRegistry
    public FacesApi facesApi() {
        return new FacesApi(faceCollection(), json);
    }

    /**
     * The one authentication check of every API route (routes/50-api.camel.yaml), the image engine's trigger
     * (vigil.image.trigger.enabled) included.
     */
    @BindToRegistry
    public dev.vigil.api.ApiGate apiGate() {
        return new dev.vigil.api.ApiGate(ApiToken.of(settings), json);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // the REST routes and their OpenAPI document exist only with an HTTP server to serve them (replay,
        // redeliver, bench and faces run without one)
        boolean http = settings.flag("vigil.http.enabled");
        boolean served = settings.flag("vigil.api.enabled") && http;
        context.getPropertiesComponent().addOverrideProperty("vigil.api.served", Boolean.toString(served));
        context.getPropertiesComponent().addOverrideProperty("vigil.image.trigger.served",
                Boolean.toString(settings.flag("vigil.image.trigger.enabled") && http));
        if (!http) { // with a server the document route runs (empty while the API is off): readiness counts it
            String excluded = context.getAutoStartupExcludePattern();
            context.setAutoStartupExcludePattern((excluded == null || excluded.isBlank() ? "" : excluded + ",")
                    + "rest-api:*");
        }
        if (settings.flag("vigil.api.enabled")) {
            context.addStartupListener(jsonTooLarge(json, settings.whole("camel.server.port", 0, 65535)));
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
