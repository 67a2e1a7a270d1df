package dev.vigil.console;

import dev.vigil.model.Alert;

/**
 * First step of the deliver route: gives each alert {@code links.console}, its page in the web console
 * ({@code <vigil.web.public-url>/alerts/<id>}), so emails, pushes and webhooks can link to it. Without a
 * public URL alerts carry no links.
 */
public class ConsoleLinks {

    private final String publicUrl;

    /** @param publicUrl the address people reach Vigil at, e.g. https://vigil.home.example; empty: no links */
    public ConsoleLinks(String publicUrl) {
        String url = publicUrl == null ? "" : publicUrl.trim();
        this.publicUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public Object add(Object body) {
        if (publicUrl.isEmpty() || !(body instanceof Alert a) || a.links() != null) {
            return body;
        }
        return a.withLinks(new Alert.Links(publicUrl + "/alerts/" + a.id()));
    }
}
