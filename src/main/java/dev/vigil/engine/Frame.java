package dev.vigil.engine;

import java.time.Instant;

/** One sampled frame: its time (GetImages' TimeStamp) and its JPEG bytes. */
public record Frame(Instant time, byte[] jpeg) {
}
