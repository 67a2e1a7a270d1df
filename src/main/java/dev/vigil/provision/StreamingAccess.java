package dev.vigil.provision;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Rekognition Streaming Video is closed to new AWS accounts since 2026-04-30: say so in one line, point to the image engine. */
public final class StreamingAccess {

    private StreamingAccess() {
    }

    /** True when a Rekognition stream-processor call was refused as access denied. */
    public static boolean denied(Throwable e) {
        return e instanceof AwsServiceException a && a.awsErrorDetails() != null
                && "AccessDeniedException".equals(a.awsErrorDetails().errorCode());
    }

    /** The advice without AWS's own message (which names the caller): for logs and health details. */
    public static String advice() {
        return "AccessDeniedException from Rekognition stream processors. Rekognition Streaming Video is closed to new "
                + "AWS accounts since 2026-04-30: if the account never used it, set `engine: image` on the cameras "
                + "(Vigil samples frames and calls the image APIs); otherwise grant the rekognition:*StreamProcessor "
                + "permissions (vigil provision policy).";
    }

    /** The one-line explanation for {@link #denied} failures. */
    public static String message(Throwable e) {
        String aws = e instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? a.awsErrorDetails().errorMessage() : e.getMessage();
        return "Rekognition stream processors are not available to these credentials (AccessDeniedException: " + aws
                + "). Rekognition Streaming Video is closed to new AWS accounts since 2026-04-30: if the account never "
                + "used it, set `engine: image` on the cameras (Vigil samples frames and calls the image APIs); "
                + "otherwise grant the rekognition:*StreamProcessor permissions (vigil provision policy).";
    }
}
