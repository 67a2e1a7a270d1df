package dev.vigil.engine;

/** Exchange properties of the image engine's routes. */
public final class EngineHeaders {
    /** The camera id a sampling exchange is about. */
    public static final String CAMERA = "VigilCamera";

    private EngineHeaders() {
    }
}
