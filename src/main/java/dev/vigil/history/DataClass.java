package dev.vigil.history;

/** What retention expires, each with its own age (household file, retention block). */
public enum DataClass {
    /** Face crops and snapshots of alerts about known people. */
    IMAGES_OF_KNOWN,
    /** Face crops and snapshots of every other alert (unknown, suspected, unidentifiable, ...). */
    IMAGES_OF_OTHERS,
    /** Alert records themselves, with their images. */
    RECORDS
}
