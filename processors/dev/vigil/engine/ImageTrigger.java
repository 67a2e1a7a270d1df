package dev.vigil.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.ApiGate;
import dev.vigil.faces.Refused;
import org.apache.camel.Exchange;

/**
 * {@code POST /api/cameras/{id}/trigger}: a camera's own motion webhook (or anything holding the API token)
 * starts sampling an image-engine camera at once. An API path like the others (routes/50-api.camel.yaml):
 * authenticated by its apiGate, answered with {@link ApiGate#respond}, refused with {@link Refused}: 404 for a
 * camera that is not on the image engine, 202 when sampling started (then the exchange property VigilCamera
 * names the camera, for the route's first sample).
 */
public final class ImageTrigger {

    /** The answer's body. */
    record Started(String camera, String sampling) {
    }

    private final ImageEngine engine;
    private final ObjectMapper json;

    public ImageTrigger(ImageEngine engine, ObjectMapper json) {
        this.engine = engine;
        this.json = json;
    }

    public void accept(Exchange exchange) throws Exception {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (id == null || !engine.hasCamera(id)) {
            throw new Refused(404, "no camera with engine: image has this id");
        }
        engine.trigger(id);
        exchange.setProperty(EngineHeaders.CAMERA, id);
        ApiGate.respond(exchange, json, 202, new Started(id, "started"));
    }
}
