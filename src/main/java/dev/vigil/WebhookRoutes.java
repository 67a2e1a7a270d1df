package dev.vigil;

import dev.vigil.deliver.ChannelDirectory;
import dev.vigil.deliver.WebhookChannel;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * One route per configured webhook, from the YAML route template {@code webhookChannel}, added once the
 * YAML routes (and so the template) are loaded and before the context starts.
 */
final class WebhookRoutes extends MainListenerSupport {

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        ChannelDirectory channels = context.getRegistry().lookupByNameAndType("channels", ChannelDirectory.class);
        try {
            for (WebhookChannel w : channels.webhooks()) {
                context.addRouteFromTemplate("deliverWebhook-" + w.name(), "webhookChannel",
                        java.util.Map.of("name", w.name(), "url", w.url()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the webhook routes", e);
        }
    }
}
