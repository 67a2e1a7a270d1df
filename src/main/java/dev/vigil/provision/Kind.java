package dev.vigil.provision;

/** The kinds of AWS resources Vigil provisions, in the order they are created (deleted in reverse). */
public enum Kind {
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
}
