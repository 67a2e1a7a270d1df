package dev.vigil;

import dev.vigil.deliver.ChannelDirectory;
import dev.vigil.deliver.WebhookChannel;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * The routes of the configured channels, from the YAML route templates (webhookChannel and webhookSend per
 * webhook; snsChannel/snsSend and emailChannel/emailSend when configured), added once the YAML routes (and
 * so the templates) are loaded and before the context starts.
 */
final class ChannelRoutes extends MainListenerSupport {

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        ChannelDirectory channels = context.getRegistry().lookupByNameAndType("channels", ChannelDirectory.class);
        try {
            for (WebhookChannel w : channels.webhooks()) {
                Map<String, Object> parameters = Map.of("name", w.name(), "url", w.url());
                context.addRouteFromTemplate("deliverWebhook-" + w.name(), "webhookChannel", parameters);
                context.addRouteFromTemplate("sendWebhook-" + w.name(), "webhookSend", parameters);
            }
            if (channels.sns() != null) {
                Map<String, Object> parameters = Map.of("topicArn", channels.sns().topicArn());
                context.addRouteFromTemplate("deliverSns", "snsChannel", parameters);
                context.addRouteFromTemplate("sendSns", "snsSend", parameters);
            }
            if (channels.email() != null) {
                Map<String, Object> parameters = Map.of("uri", channels.email().endpointUri());
                context.addRouteFromTemplate("deliverEmail", "emailChannel", parameters);
                context.addRouteFromTemplate("sendEmail", channels.email().viaSes() ? "emailSendSes" : "emailSend",
                        parameters);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the channel routes", e);
        }
    }
}
