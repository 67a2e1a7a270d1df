package dev.vigil;

import dev.vigil.deliver.ChannelDirectory;
import dev.vigil.deliver.Deliveries;
import dev.vigil.deliver.Outbox;
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
            if (channels.mqtt() != null) {
                gate(context, "mqtt", ChannelDirectory.MQTT);
                context.addRouteFromTemplate(ChannelDirectory.sendRouteId("mqtt"), "mqttSend",
                        Map.of("topic", channels.mqtt().config().prefix() + "/alerts"));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the channel routes", e);
        }
        context.getManagementStrategy().addEventNotifier(new FlushOnStop(context));
        Outbox outbox = outbox(context);
        if (outbox != null) {
            context.getManagementStrategy().addEventNotifier(new RecoverOnStart(context, outbox));
        }
    }

    private static Outbox outbox(CamelContext context) {
        return context.getRegistry().lookupByNameAndType("outbox", Outbox.class);
    }

    /** Once the routes run, what the outbox still holds from the previous run is queued (before new alerts). */
    private static final class RecoverOnStart extends SimpleEventNotifierSupport {
        private final CamelContext context;
        private final Outbox outbox;

        RecoverOnStart(CamelContext context, Outbox outbox) {
            this.context = context;
            this.outbox = outbox;
            setIgnoreExchangeEvents(true); // a context event only: no event object per exchange (issue 15)
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextStartedEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            Thread recovery = new Thread(() -> outbox.recover(context), "vigil-outbox-recovery");
            recovery.setDaemon(true);
            recovery.start();
        }
    }

    /**
     * When the context begins to stop (routes still running), the rate guard's open windows end (summaries go
     * out), then the retry lanes stop (what waits there stays in the outbox, or is dead-lettered).
     */
    private static final class FlushOnStop extends SimpleEventNotifierSupport {
        private final CamelContext context;

        FlushOnStop(CamelContext context) {
            this.context = context;
            setIgnoreExchangeEvents(true); // a context event only: no event object per exchange (issue 15)
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextStoppingEvent;
        }

        @Override
        public void notify(CamelEvent event) throws Exception {
            var status = context.getRouteController().getRouteStatus("rateGuardFlush");
            if (status == null || !status.isStarted()) {
                return; // a command that starts no routes (faces): nothing was held, and the flush would only
                        // wait 30 s for a direct consumer that never comes
            }
            try (ProducerTemplate template = context.createProducerTemplate()) {
                template.sendBody("direct:rateGuardFlush", null);
            }
            Deliveries deliveries = context.getRegistry().lookupByNameAndType("deliveries", Deliveries.class);
            if (deliveries != null) {
                deliveries.stop();
            }
        }
    }

    /**
     * The channel's gate, from the endpoint the deliver route sends to; with the outbox, that endpoint writes the
     * alert to the channel's outbox and queues it, and the queue's consumer calls the gate.
     */
    private static void gate(CamelContext context, String channel, String from) throws Exception {
        Outbox outbox = outbox(context);
        if (outbox != null) {
            String gate = Outbox.gate(channel);
            context.addRouteFromTemplate("outbox-" + channel, "outboxIn",
                    Map.of("name", channel, "from", from, "queue", outbox.queue(channel)));
            context.addRouteFromTemplate("outboxSend-" + channel, "outboxOut",
                    Map.of("name", channel, "queue", outbox.queue(channel)));
            from = gate;
        }
        context.addRouteFromTemplate("deliver-" + channel, "channelGate",
                Map.of("name", channel, "from", from));
    }
}
