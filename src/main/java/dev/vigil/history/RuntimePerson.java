package dev.vigil.history;

import java.time.Instant;

/**
 * A person added at runtime ({@code POST /api/people}), kept in the history store beside the household
 * file's people, so an alert can be taught as someone the file does not list yet.
 *
 * @param id      the person id (Rekognition ExternalImageId of their faces, faces/PersonId rules)
 * @param name    the display name, may be null (the id is shown)
 * @param addedAt when they were added
 * @param addedBy who added them (API caller)
 */
public record RuntimePerson(String id, String name, Instant addedAt, String addedBy) {
}
