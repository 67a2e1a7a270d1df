package dev.vigil.operate;

import dev.vigil.ApiToken;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Health detail only for the API bearer token. Camel's health endpoint ({@code /observe/health*}) answers at
 * camel.health.exposureLevel (oneline: {"status":"UP"} / "DOWN", with 200 / 503) but lets any caller ask for
 * more with {@code ?exposureLevel=full}, {@code ?data=true} or {@code ?stackTrace=true}. This handler runs
 * before it: an anonymous request loses those parameters (status only), a request with
 * {@code Authorization: Bearer <vigil.api.token>} gets the full detail (every check, its message and error).
 */
public final class HealthDetailGate implements StartupListener {

    static final String PATH = "/observe/health";

    private final ApiToken token;
    private final int port;

    public HealthDetailGate(ApiToken token, int port) {
        this.token = token;
        this.port = port;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the server is up only once the context has fully started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            return;
        }
        router.route().order(-2).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            String path = request.path();
            if (path != null && path.startsWith(PATH)) {
                if (token.accepts(request.getHeader("Authorization"))) {
                    if (request.getParam("exposureLevel") == null) {
                        request.params().set("exposureLevel", "full");
                    }
                } else {
                    request.params().remove("exposureLevel").remove("data").remove("stackTrace");
                }
            }
            ctx.next();
        });
    }
}
