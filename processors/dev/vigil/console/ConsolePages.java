package dev.vigil.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The console's files, packaged under {@code console/} in the jar (routes/55-console-pages.camel.yaml): the
 * one HTML page for every console address (the ES modules draw the view the path names) and the assets it
 * loads. Nothing comes from elsewhere: the Content-Security-Policy allows this origin only.
 */
public class ConsolePages {

    private static final Pattern ASSET = Pattern.compile("[a-z0-9-]+\\.(js|css|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon",
            "html", "text/html; charset=utf-8");

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** GET /, /alerts/{id}, /people, /mode, /status: the page shell. */
    public void page(Exchange exchange) throws IOException {
        serve(exchange, "index.html");
    }

    /** GET /assets/{file}: one of the console's scripts, styles or images; 404 for anything else. */
    public void asset(Exchange exchange) throws IOException {
        String name = exchange.getMessage().getHeader("file", "", String.class);
        if (!ASSET.matcher(name).matches() || read(name) == null) {
            Message out = exchange.getMessage();
            ConsoleHttp.secure(out);
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            out.setBody("not found");
            return;
        }
        serve(exchange, name);
    }

    private void serve(Exchange exchange, String name) throws IOException {
        Message out = exchange.getMessage();
        ConsoleHttp.secure(out);
        out.setHeader("Cache-Control", "no-cache");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        out.setBody(read(name));
    }

    private byte[] read(String name) throws IOException {
        byte[] cached = files.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = ConsolePages.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            files.put(name, bytes);
            return bytes;
        }
    }
}
