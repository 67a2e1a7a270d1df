package dev.vigil.history;

/** The JPEGs the history keeps per alert: the deciding face's crop and the whole frame. */
public enum ImageKind {
    FACE("face"), SNAPSHOT("snapshot");

    private final String file;

    ImageKind(String file) {
        this.file = file;
    }

    /** face or snapshot: the API path's file name (face.jpg) and the object key prefix. */
    public String file() {
        return file;
    }
}
