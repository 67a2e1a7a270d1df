package dev.vigil.aws;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * Once the Camel context has stopped, the AWS clients it used are closed (their HTTP connection pools and
 * threads): the image engine's Kinesis Video media client ({@code kvsMedia}) and every SDK client
 * ({@code awsClients}: Rekognition, Kinesis, DynamoDB, SNS, SES, ...).
 */
public final class CloseClients extends MainListenerSupport {

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        SimpleEventNotifierSupport close = new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppedEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                for (String name : new String[] {"kvsMedia", "awsClients"}) {
                    Object bean = context.getRegistry().lookupByName(name);
                    if (bean instanceof AutoCloseable closeable) {
                        try {
                            closeable.close();
                        } catch (Exception e) {
                            org.slf4j.LoggerFactory.getLogger(CloseClients.class).debug("closing {}: {}", name, e.toString());
                        }
                    }
                }
            }
        };
        close.setIgnoreExchangeEvents(true); // a context event only: no event object per exchange (issue 15)
        context.getManagementStrategy().addEventNotifier(close);
    }
}
