package dev.vigil.provision;

/** The kinds of AWS resources Vigil provisions, in the order they are created (deleted in reverse). */
public enum Kind {
    HISTORY_TABLE("dynamodb table"),
    HISTORY_BUCKET("s3 bucket"),
    COLLECTION("rekognition collection"),
    TOPIC("sns topic"),
    SUBSCRIPTION("sns subscription"),
    VIDEO_STREAM("kinesis video stream"),
    DATA_STREAM("kinesis data stream"),
    ROLE("iam role"),
    STREAM_PROCESSOR("rekognition stream processor");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The alert history's store: {@code provision destroy} keeps it unless asked ({@code --include-history}). */
    public boolean holdsHistory() {
        return this == HISTORY_TABLE || this == HISTORY_BUCKET;
    }
}
