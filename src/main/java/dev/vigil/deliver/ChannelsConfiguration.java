package dev.vigil.deliver;

import dev.vigil.config.AreaConfiguration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The channels of the household file and of {@code vigil.webhook.*} / {@code vigil.console.enabled}: the
 * directory the deliver route fans out with ({@code channels}), and the beans each configured channel's
 * sending route names: {@code webhook-<name>} per webhook, {@code snsChannel} and {@code snsClient},
 * {@code emailChannel}, {@code emailProperties} and {@code sesSender}; each only when its channel exists.
 */
public class ChannelsConfiguration extends AreaConfiguration {

    private ChannelDirectory directory;

    @BindToRegistry
    public ChannelDirectory channels() {
        if (directory == null) {
            directory = ChannelDirectory.build(household.channels(), settings.flag("vigil.console.enabled"),
                    new ChannelDirectory.PropertyWebhook(settings.text("vigil.webhook.url"),
                            settings.text("vigil.webhook.secret"), settings.text("vigil.webhook.secret-file")),
                    System::getenv, new AlertText(household.policy().timeZone()), json, clock,
                    household.policy().timeZone(), timeoutMs());
        }
        return directory;
    }

    @BindToRegistry
    public ConsoleFormat consoleFormat() {
        return new ConsoleFormat(household.policy().timeZone());
    }

    @BindToRegistry
    public RetryAfter retryAfter() {
        return new RetryAfter(settings.duration("vigil.webhook.max-retry-after"), clock);
    }

    @BindToRegistry
    public SnsChannel snsChannel() {
        return channels().sns();
    }

    @BindToRegistry
    public SnsClient snsClient() {
        return channels().sns() == null ? null : aws.sns();
    }

    @BindToRegistry
    public EmailChannel emailChannel() {
        return channels().email();
    }

    @BindToRegistry
    public SesSender sesSender() {
        EmailChannel email = channels().email();
        return email != null && email.viaSes() ? new SesSender(aws.ses(), email) : null;
    }

    /**
     * Bound by hand: one bean per webhook, named after it (a name the household file chooses cannot be a
     * method), and the SMTP endpoint's JavaMail properties (Camel runs {@code @BindToRegistry} methods of
     * java.* types before it injects this class's fields).
     */
    @Override
    public void configure(CamelContext context) {
        channels().webhooks().forEach(w -> context.getRegistry().bind("webhook-" + w.name(), w));
        if (channels().email() != null) {
            context.getRegistry().bind("emailProperties", channels().email().javaMailProperties(timeoutMs()));
        }
    }

    private int timeoutMs() {
        return settings.whole("vigil.channel.timeout-ms", 1);
    }
}
