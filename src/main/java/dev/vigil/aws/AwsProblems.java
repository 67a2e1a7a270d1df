package dev.vigil.aws;

import dev.vigil.config.ConfigException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Turns the SDK's client-side failures at start-up into messages that say what to fix. */
public final class AwsProblems {

    private AwsProblems() {
    }

    /** @param what what Vigil was trying to reach, e.g. {@code the results stream "x" of camera "y"} */
    public static ConfigException unreachable(String component, String what, SdkClientException e) {
        if (String.valueOf(e.getMessage()).toLowerCase().contains("credentials")) {
            return new ConfigException(component + ": no AWS credentials found to reach " + what + ". Set AWS_PROFILE, "
                    + "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with a task or instance role.");
        }
        return new ConfigException(component + ": cannot reach " + what + " (" + e.getMessage() + "). Check the "
                + "network, AWS_REGION / VIGIL_AWS_REGION and VIGIL_AWS_ENDPOINT.");
    }
}
