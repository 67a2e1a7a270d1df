package dev.vigil.decide;

import dev.vigil.config.Policy;
import dev.vigil.model.AlertType;
import dev.vigil.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** Applies the household policy to a visit that is ready to alert: person rules, mode table, quiet hours. */
public final class PolicyEvaluator {

    /** @param reason why, in a few words (goes into the alert and the decision log at DEBUG) */
    public record Verdict(Severity severity, String reason) {
        public boolean alerts() {
            return severity != Severity.NONE;
        }
    }

    private final Policy policy;
    private final Directory directory;
    private final Supplier<Policy.Mode> mode;

    /** With the household file's mode (policy.mode) always in force. */
    public PolicyEvaluator(Policy policy, Directory directory) {
        this(policy, directory, policy::mode);
    }

    /** @param mode the arming mode in force when a visit is decided (the mode service, {@code Arming::mode}) */
    public PolicyEvaluator(Policy policy, Directory directory, Supplier<Policy.Mode> mode) {
        this.policy = policy;
        this.directory = directory;
        this.mode = mode;
    }

    public Verdict evaluate(AlertType type, String cameraId, String personId, Instant frameTime) {
        Verdict verdict = byRuleOrMode(type, cameraId, personId);
        if (verdict.alerts() && type != AlertType.VISIT_UPDATE && inQuietHours(frameTime)
                && verdict.severity().compareTo(policy.quietHours().allow()) < 0) {
            return new Verdict(Severity.NONE, "quiet hours (" + verdict.reason() + ")");
        }
        return verdict;
    }

    private Verdict byRuleOrMode(AlertType type, String cameraId, String personId) {
        Policy.Mode now = mode.get();
        boolean aboutKnownPerson = type == AlertType.KNOWN_PERSON || type == AlertType.VISIT_UPDATE;
        if (aboutKnownPerson && personId != null) {
            List<String> groups = directory.groups(personId);
            for (Policy.Rule rule : policy.rules()) {
                if (applies(rule, cameraId, personId, groups, now)) {
                    return rule.action() == Policy.Rule.Notify.NEVER
                            ? new Verdict(Severity.NONE, "rule: never alert about this person")
                            : new Verdict(rule.severity(), "rule: tell me when they arrive");
                }
            }
        }
        if (type == AlertType.VISIT_UPDATE) {
            return new Verdict(Severity.INFO, "earlier alert on this visit identified");
        }
        return new Verdict(policy.severity(now, type), "mode " + now.name().toLowerCase());
    }

    private boolean applies(Policy.Rule rule, String cameraId, String personId, List<String> groups, Policy.Mode now) {
        boolean who = personId.equals(rule.person()) || (rule.group() != null && groups.contains(rule.group()));
        return who && (rule.cameras().isEmpty() || rule.cameras().contains(cameraId))
                && (rule.modes().isEmpty() || rule.modes().contains(now));
    }

    private boolean inQuietHours(Instant frameTime) {
        return policy.quietHours() != null
                && policy.quietHours().contains(frameTime.atZone(policy.timeZone()).toLocalTime());
    }
}
