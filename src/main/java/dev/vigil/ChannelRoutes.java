package dev.vigil;

import dev.vigil.deliver.ChannelDirectory;
import dev.vigil.deliver.WebhookChannel;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * The routes of the configured channels, from the YAML route templates: per channel a channelGate
 * (de-duplication, expiry) and its sending route (webhookSend per webhook; snsSend, emailSend or
 * emailSendSes when configured), added once the YAML routes (and so the templates) are loaded and before
 * the context starts.
 */
final class ChannelRoutes extends MainListenerSupport {

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        ChannelDirectory channels = context.getRegistry().lookupByNameAndType("channels", ChannelDirectory.class);
        try {
            for (WebhookChannel w : channels.webhooks()) {
                String from = ChannelDirectory.endpoint(w.name());
                gate(context, "deliverWebhook-" + w.name(), w.name(), from, from + "-send");
                context.addRouteFromTemplate("sendWebhook-" + w.name(), "webhookSend",
                        Map.of("name", w.name(), "url", w.url()));
            }
            if (channels.sns() != null) {
                gate(context, "deliverSns", "sns", ChannelDirectory.SNS, "direct:sns-send");
                context.addRouteFromTemplate("sendSns", "snsSend", Map.of("topicArn", channels.sns().topicArn()));
            }
            if (channels.email() != null) {
                gate(context, "deliverEmail", "email", ChannelDirectory.EMAIL, "direct:email-send");
                context.addRouteFromTemplate("sendEmail", channels.email().viaSes() ? "emailSendSes" : "emailSend",
                        Map.of("uri", channels.email().endpointUri()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the channel routes", e);
        }
    }

    private static void gate(CamelContext context, String routeId, String name, String from, String send)
            throws Exception {
        context.addRouteFromTemplate(routeId, "channelGate", Map.of("name", name, "from", from, "send", send));
    }
}
