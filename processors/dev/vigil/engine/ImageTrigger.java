package dev.vigil.engine;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code POST /api/cameras/{id}/trigger}: a camera's own motion webhook (or anything holding the API token)
 * starts sampling an image-engine camera at once. Authenticated before it gets here, like every API path (the
 * apiGate of routes/50-api.camel.yaml); 404 for a camera that is not on the image engine, 202 when sampling
 * started. Sets the exchange properties VigilHttpStatus and, when accepted, VigilCamera.
 */
public final class ImageTrigger {

    public static final String STATUS = "VigilHttpStatus";

    private final ImageEngine engine;

    public ImageTrigger(ImageEngine engine) {
        this.engine = engine;
    }

    public String accept(Exchange exchange) {
        Message in = exchange.getMessage();
        String id = in.getHeader("id", String.class);
        if (id == null || !engine.hasCamera(id)) {
            exchange.setProperty(STATUS, 404);
            return "{\"error\":\"not_found\",\"message\":\"no camera with engine: image has this id\"}";
        }
        engine.trigger(id);
        exchange.setProperty(STATUS, 202);
        exchange.setProperty(EngineHeaders.CAMERA, id);
        return "{\"camera\":\"" + id + "\",\"sampling\":\"started\"}";
    }

}
