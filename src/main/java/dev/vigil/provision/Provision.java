package dev.vigil.provision;

import dev.vigil.aws.AwsClients;
import dev.vigil.aws.AwsProblems;
import dev.vigil.config.ConfigException;
import dev.vigil.config.Settings;
import dev.vigil.config.Household;
import dev.vigil.config.HouseholdLoader;
import dev.vigil.history.AwsHistoryStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code vigil provision plan | apply | destroy [--yes] [--include-history] | policy}: turns the household file into AWS resources.
 * Reads what exists (describe calls), computes the changes ({@link Planner}, pure), prints or carries them out.
 * Exit codes: 0 done, 1 AWS refused or failed, 2 bad config or usage, 3 destroy not confirmed.
 */
public final class Provision {

    public static final String USAGE = "provision plan | apply | destroy [--yes] [--include-history] | policy";

    private final Settings props;
    private final PrintStream out;

    private Provision(Settings props, PrintStream out) {
        this.props = props;
        this.out = out;
    }

    public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err,
                          Map<String, String> overrides) {
        if (args.isEmpty() || !List.of("plan", "apply", "destroy", "policy").contains(args.get(0))) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        String command = args.get(0);
        List<String> flags = args.subList(1, args.size());
        boolean yes = flags.contains("--yes");
        boolean includeHistory = flags.contains("--include-history");
        int known = (yes ? 1 : 0) + (includeHistory ? 1 : 0);
        if (flags.size() > known || (known > 0 && !command.equals("destroy"))) {
            throw new IllegalArgumentException("provision " + command + ": unexpected " + flags + "; usage: " + USAGE);
        }
        Provision p = new Provision(Settings.of(properties(overrides)), out);
        String location = p.props.optional("vigil.config").orElseThrow(() ->
                new ConfigException("vigil.config: provision needs your household file; set VIGIL_CONFIG=/path/household.yaml "
                        + "(start from config/household.example.yaml)"));
        Household household = HouseholdLoader.load(location);
        try (AwsClients aws = AwsClients.from(p.props)) {
            return p.execute(command, yes, includeHistory, household, aws, in);
        } catch (SdkClientException e) {
            ConfigException problem = AwsProblems.unreachable("provision", "AWS", e);
            if (String.valueOf(e.getMessage()).toLowerCase().contains("credentials")) {
                throw problem; // no credentials: a setup problem, exit 2
            }
            err.println("vigil: " + problem.getMessage()); // the network or the endpoint: exit 1
            return 1;
        } catch (AwsServiceException e) {
            err.println("vigil: provision " + command + ": " + (StreamingAccess.denied(e)
                    && "Rekognition".equalsIgnoreCase(e.awsErrorDetails().serviceName())
                    ? StreamingAccess.message(e) : "AWS refused: " + e.awsErrorDetails().errorCode() + ": "
                    + e.awsErrorDetails().errorMessage()));
            return 1;
        } catch (IllegalStateException e) {
            err.println("vigil: provision " + command + ": " + e.getMessage());
            return 1;
        }
    }

    private int execute(String command, boolean yes, boolean includeHistory, Household household, AwsClients aws,
                        InputStream in) {
        String account;
        try (StsClient sts = aws.configure(StsClient.builder(), "sts").httpClient(ApacheHttpClient.create()).build()) {
            account = sts.getCallerIdentity().account();
        }
        String region = aws.region().id();
        String historyTable = props.optional("vigil.history.table").orElse(Names.HISTORY_TABLE);
        String historyBucket = props.optional("vigil.history.bucket").orElse(Names.historyBucket(account, region));
        if (command.equals("policy")) {
            out.println(RuntimePolicy.pretty(RuntimePolicy.of(household, account, region,
                    props.text("vigil.kinesis.application"), props.text("vigil.delivered.table"),
                    props.flag("vigil.snapshot.enabled") || props.flag("vigil.clip.enabled"),
                    historyTable, historyBucket)));
            return 0;
        }
        List<Resource> desired = new ArrayList<>(Desired.of(household, account, region,
                props.number("vigil.provision.face-match-threshold", 0, 100)));
        if (props.flag("vigil.history.enabled")) {
            desired.addAll(Desired.history(historyTable, historyBucket)); // the runtime's store (profile aws)
        }
        try (S3Client s3 = AwsHistoryStore.s3(aws)) {
            return execute(command, yes, includeHistory, desired, account, region, aws, s3, in);
        }
    }

    private int execute(String command, boolean yes, boolean includeHistory, List<Resource> desired, String account,
                        String region, AwsClients aws, S3Client s3, InputStream in) {
        AwsState state = new AwsState(aws, s3);
        Map<String, Resource> found = state.read(desired);
        List<Resource> orphans = state.orphans(desired);
        boolean destroy = command.equals("destroy");
        Planner.Plan plan = destroy ? Planner.destroy(desired, found, orphans, includeHistory) : Planner.apply(desired, found, orphans);
        out.printf("Vigil provision %s: account %s, region %s%n%n", command, account, region);
        print(plan);
        if (plan.isEmpty() || command.equals("plan")) {
            return 0;
        }
        if (destroy && !yes && !confirmed(in, plan.changes().size())) {
            out.println("Destroy cancelled; nothing was deleted.");
            return 3;
        }
        out.printf("%n%s:%n", destroy ? "Destroying" : "Applying");
        new AwsApplier(aws, s3, props.positiveDuration("vigil.provision.wait-timeout"),
                props.positiveDuration("vigil.provision.wait-step"), out)
                .apply(plan.changes());
        out.printf("%s complete: %d created, %d changed, %d replaced, %d deleted.%n", destroy ? "Destroy" : "Apply",
                plan.count(Change.Action.CREATE), plan.count(Change.Action.UPDATE), plan.count(Change.Action.REPLACE),
                plan.count(Change.Action.DELETE));
        return 0;
    }

    /** The plan, terraform-like: one line per change with its symbol, kind and name, then the details. */
    void print(Planner.Plan plan) {
        if (plan.isEmpty()) {
            out.println("No changes. The AWS resources match the household file.");
        }
        for (Change c : plan.changes()) {
            out.printf("  %-3s %s %s%n", c.action().symbol(), c.kind().label(), c.name());
            c.details().forEach(d -> out.printf("        %s%n", d));
        }
        if (!plan.isEmpty()) {
            out.printf("%nPlan: %d to create, %d to change, %d to replace, %d to delete.%n",
                    plan.count(Change.Action.CREATE), plan.count(Change.Action.UPDATE),
                    plan.count(Change.Action.REPLACE), plan.count(Change.Action.DELETE));
        }
        plan.notes().forEach(n -> out.println("Note: " + n));
    }

    private boolean confirmed(InputStream in, int count) {
        out.printf("%nDelete these %d resources? Only \"yes\" is accepted: ", count);
        out.flush();
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            out.println();
            return line != null && line.trim().equals("yes");
        } catch (java.io.IOException e) {
            return false;
        }
    }



    /** The same property locations and environment overrides as the running app (see VigilRuntime). */
    static PropertiesComponent properties(Map<String, String> overrides) {
        String profile = System.getProperty("vigil.profile", System.getenv().getOrDefault("VIGIL_PROFILE", "local"));
        DefaultCamelContext context = new DefaultCamelContext(false);
        PropertiesComponent pc = context.getPropertiesComponent();
        pc.setLocation(String.join(",",
                "file:config/application-" + profile + ".properties;optional=true",
                "classpath:config/application-" + profile + ".properties;optional=true",
                "file:config/application.properties;optional=true",
                "classpath:config/application.properties"));
        overrides.forEach(pc::addOverrideProperty);
        context.init(); // the type converter placeholders need; nothing is started
        return pc;
    }

}
