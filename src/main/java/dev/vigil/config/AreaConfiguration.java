package dev.vigil.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.aws.AwsClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * What every area configuration class starts from: the shared beans VigilConfiguration binds first, injected
 * by Camel's bean post-processor ({@code @BeanInject}) before the area's {@code @BindToRegistry} methods run.
 * Each such method is one bean, named after the method; one that returns null binds nothing (a channel or
 * feature that is not configured). A bean another method of the same class needs is built once by a
 * private method both call (Camel does not promise an order between the methods of one class).
 */
public abstract class AreaConfiguration implements CamelConfiguration {

    @BeanInject("household")
    protected Household household;

    @BeanInject("vigilSettings")
    protected Settings settings;

    @BeanInject("vigilJson")
    protected ObjectMapper json;

    @BeanInject("metricsRegistry")
    protected MeterRegistry metrics;

    @BeanInject("awsClients")
    protected AwsClients aws;

    @BeanInject("vigilClock")
    protected Clock clock;

    @BeanInject("vigilDataDir")
    protected Path dataDir;

    /**
     * Runs {@code step} when the context starts, before any route does: for what a bean needs that opens beside the
     * routes' loading (the alert history). An exception stops start-up.
     */
    protected static void beforeRoutesStart(CamelContext context, Runnable step) throws Exception {
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext camel, boolean alreadyStarted) {
                step.run();
            }

            @Override
            public void onCamelContextStarted(CamelContext camel, boolean alreadyStarted) {
            }
        });
    }
}
