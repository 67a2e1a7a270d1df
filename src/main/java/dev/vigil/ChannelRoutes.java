package dev.vigil;

import dev.vigil.deliver.ChannelDirectory;
import dev.vigil.deliver.WebhookChannel;
import dev.vigil.deliver.WebhookTimeouts;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
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
        WebhookTimeouts timeouts = context.getRegistry().lookupByNameAndType("webhookTimeouts", WebhookTimeouts.class);
        try {
            for (WebhookChannel w : channels.webhooks()) {
                gate(context, w.name(), ChannelDirectory.endpoint(w.name()));
                WebhookTimeouts.Millis t = timeouts.of(w.name());
                context.addRouteFromTemplate(ChannelDirectory.sendRouteId(w.name()), "webhookSend",
                        Map.of("name", w.name(), "url", w.url(), "connectTimeout", t.connect(),
                                "responseTimeout", t.response()));
            }
            if (channels.sns() != null) {
                gate(context, "sns", ChannelDirectory.SNS);
                context.addRouteFromTemplate(ChannelDirectory.sendRouteId("sns"), "snsSend",
                        Map.of("topicArn", channels.sns().topicArn()));
            }
            if (channels.email() != null) {
                gate(context, "email", ChannelDirectory.EMAIL);
                context.addRouteFromTemplate(ChannelDirectory.sendRouteId("email"),
                        channels.email().viaSes() ? "emailSendSes" : "emailSend",
                        Map.of("uri", channels.email().endpointUri()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the channel routes", e);
        }
        context.getManagementStrategy().addEventNotifier(new FlushOnStop(context));
    }

    /** When the context begins to stop (routes still running), the rate guard's open windows end: summaries go out. */
    private static final class FlushOnStop extends SimpleEventNotifierSupport {
        private final CamelContext context;

        FlushOnStop(CamelContext context) {
            this.context = context;
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextStoppingEvent;
        }

        @Override
        public void notify(CamelEvent event) throws Exception {
            try (ProducerTemplate template = context.createProducerTemplate()) {
                template.sendBody("direct:rateGuardFlush", null);
            }
        }
    }

    private static void gate(CamelContext context, String channel, String from) throws Exception {
        context.addRouteFromTemplate("deliver-" + channel, "channelGate",
                Map.of("name", channel, "from", from, "send", ChannelDirectory.sendEndpoint(channel)));
    }
}
