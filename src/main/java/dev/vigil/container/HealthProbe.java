package dev.vigil.container;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container HEALTHCHECK: GET a health path of the local Vigil and exit 0 on 2xx, 1 otherwise. Java only
 * (JRE images have no curl), this class alone on the class path so the check's JVM starts in a blink:
 * {@code java -cp /app/probe dev.vigil.container.HealthProbe [PATH]}. The port is VIGIL_HTTP_PORT (8080);
 * PATH defaults to the readiness path.
 */
public final class HealthProbe {

    public static final String READY = "/observe/health/ready";
    static final int TIMEOUT_MS = 3000;

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("VIGIL_HTTP_PORT", "8080");
        String path = args.length > 0 ? args[0] : READY;
        System.exit(check(URI.create("http://127.0.0.1:" + port + path)));
    }

    /** 0 when the URI answers 2xx within the timeout, else 1; says what it saw on standard output. */
    static int check(URI uri) {
        try {
            HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection();
            http.setConnectTimeout(TIMEOUT_MS);
            http.setReadTimeout(TIMEOUT_MS);
            int status = http.getResponseCode();
            http.disconnect();
            System.out.println(uri.getPath() + " " + status);
            return status >= 200 && status < 300 ? 0 : 1;
        } catch (IOException e) {
            System.out.println(uri.getPath() + " " + e);
            return 1;
        }
    }
}
