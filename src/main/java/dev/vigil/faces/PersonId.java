package dev.vigil.faces;

import java.util.regex.Pattern;

/** A person id is the Rekognition ExternalImageId of their faces: 1-255 of {@code [a-zA-Z0-9_.\-:]}. */
public final class PersonId {

    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_.\\-:]{1,255}");

    private PersonId() {
    }

    /** @return the id, when valid; else a 400 {@link Refused} saying what is allowed */
    public static String check(String id) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw new Refused(400, "invalid person id: use 1 to 255 letters, digits, '_', '.', '-' or ':'"
                    + " (no spaces or '/'), the same id as in the household file's people[].id");
        }
        return id;
    }
}
