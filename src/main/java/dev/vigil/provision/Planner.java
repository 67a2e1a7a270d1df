package dev.vigil.provision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares what the household file asks for with what exists and lists the changes: pure, no AWS calls.
 * Only resources Vigil created (tag {@code vigil:managed=true}) are ever changed or deleted; one with the
 * same name that someone else created is left as it is, with a note.
 */
public final class Planner {

    /** The changes, in the order to carry them out, and notes about what is left alone. */
    public record Plan(List<Change> changes, List<String> notes) {
        public Plan {
            changes = List.copyOf(changes);
            notes = List.copyOf(notes);
        }

        public long count(Change.Action action) {
            return changes.stream().filter(c -> c.action() == action).count();
        }

        public boolean isEmpty() {
            return changes.isEmpty();
        }
    }

    /** Attributes that can be changed in place; a difference in another compared attribute replaces the resource. */
    private static final Map<Kind, Set<String>> UPDATABLE = Map.of(
            Kind.VIDEO_STREAM, Set.of("retentionHours"),
            Kind.ROLE, Set.of("trustPolicy", "policy"));
    private static final Map<Kind, Set<String>> REPLACING = Map.of(
            Kind.STREAM_PROCESSOR, Set.of("input", "output", "collection", "faceMatchThreshold", "roleArn"));

    private Planner() {
    }

    /** What {@code provision apply} does: create what is missing, bring Vigil's own resources in line. */
    public static Plan apply(List<Resource> desired, Map<String, Resource> found) {
        return apply(desired, found, List.of());
    }

    /**
     * @param orphans resources Vigil created that the household file no longer asks for (a removed camera's
     *                processor and role): deleted, after everything else
     */
    public static Plan apply(List<Resource> desired, Map<String, Resource> found, List<Resource> orphans) {
        List<Change> changes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Resource want : sorted(desired, false)) {
            Resource have = found.get(want.key());
            if (have == null) {
                changes.add(new Change(Change.Action.CREATE, want, null, describe(want)));
                continue;
            }
            List<String> updates = differences(want, have, UPDATABLE.getOrDefault(want.kind(), Set.of()));
            List<String> replaces = differences(want, have, REPLACING.getOrDefault(want.kind(), Set.of()));
            boolean ownedHere = have.managed() || want.kind() == Kind.SUBSCRIPTION;
            if (!ownedHere) {
                if (!updates.isEmpty() || !replaces.isEmpty()) {
                    List<String> all = new ArrayList<>(replaces);
                    all.addAll(updates);
                    notes.add(want.kind().label() + " " + want.name() + " exists but was not created by Vigil (no "
                            + Names.MANAGED_TAG + "=true tag): left as it is, although it differs (" + String.join("; ", all) + ")");
                }
                continue;
            }
            if (!replaces.isEmpty()) {
                changes.add(new Change(Change.Action.REPLACE, want, have, replaces));
                continue;
            }
            for (Map.Entry<String, String> tag : want.tags().entrySet()) {
                if (!tag.getValue().equals(have.tags().get(tag.getKey()))) {
                    updates.add("tag " + tag.getKey() + ": " + show(have.tags().get(tag.getKey())) + " -> " + tag.getValue());
                }
            }
            if (!updates.isEmpty()) {
                changes.add(new Change(Change.Action.UPDATE, want, have, updates));
            }
        }
        changes.addAll(deletions(orphans));
        return new Plan(changes, notes);
    }

    private static List<Change> deletions(List<Resource> orphans) {
        return sorted(orphans, true).stream().filter(Resource::managed).map(r -> new Change(Change.Action.DELETE, null, r,
                List.of("no longer in the household file" + (r.tags().containsKey(Names.CAMERA_TAG)
                        ? " (camera " + r.tags().get(Names.CAMERA_TAG) + ")" : "")))).toList();
    }

    /** What {@code provision destroy} does: delete, in reverse order, what exists of it and Vigil created. */
    public static Plan destroy(List<Resource> desired, Map<String, Resource> found) {
        return destroy(desired, found, List.of());
    }

    public static Plan destroy(List<Resource> desired, Map<String, Resource> found, List<Resource> orphans) {
        return destroy(desired, found, orphans, false);
    }

    /** @param includeHistory also delete the alert history's table and bucket (the household's records) */
    public static Plan destroy(List<Resource> desired, Map<String, Resource> found, List<Resource> orphans,
                               boolean includeHistory) {
        List<Change> changes = new ArrayList<>(deletions(orphans));
        List<String> notes = new ArrayList<>();
        for (Resource want : sorted(desired, true)) {
            Resource have = found.get(want.key());
            if (have == null || want.kind() == Kind.SUBSCRIPTION) {
                continue; // subscriptions go with their topic
            }
            if (!have.managed()) {
                notes.add(want.kind().label() + " " + want.name() + " was not created by Vigil (no " + Names.MANAGED_TAG
                        + "=true tag): kept");
                continue;
            }
            if (want.kind().holdsHistory() && !includeHistory) {
                notes.add("kept: " + want.kind().label() + " " + want.name()
                        + " (holds the alert history; --include-history deletes it)");
                continue;
            }
            List<String> details = new ArrayList<>();
            if (have.attribute("faceCount") != null) {
                details.add("its " + have.attribute("faceCount") + " enrolled face(s) are deleted with it");
            }
            changes.add(new Change(Change.Action.DELETE, null, have, details));
        }
        return new Plan(changes, notes);
    }

    private static List<Resource> sorted(List<Resource> resources, boolean reverse) {
        Comparator<Resource> order = Comparator.comparing(Resource::kind);
        return resources.stream().sorted(reverse ? order.reversed() : order).toList();
    }

    private static List<String> differences(Resource want, Resource have, Set<String> keys) {
        List<String> out = new ArrayList<>();
        for (String key : keys.stream().sorted().toList()) {
            String w = want.attribute(key);
            String h = have.attribute(key);
            if (w != null && !Objects.equals(w, h)) {
                out.add(isDocument(key) ? key + " changed" : key + ": " + show(h) + " -> " + w);
            }
        }
        return out;
    }

    /** The attributes of a resource to create, as plan lines. */
    static List<String> describe(Resource r) {
        List<String> out = new ArrayList<>();
        r.attributes().forEach((k, v) -> {
            if (!k.equals("topicArn")) { // the topic line above says which topic
                out.add(isDocument(k) ? k + ": " + documentSummary(v) : k + ": " + v);
            }
        });
        if (!r.tags().isEmpty()) {
            List<String> tags = new ArrayList<>();
            r.tags().forEach((k, v) -> tags.add(k + "=" + v));
            out.add("tags: " + String.join(", ", tags));
        }
        return out;
    }

    private static boolean isDocument(String key) {
        return key.toLowerCase(java.util.Locale.ROOT).endsWith("policy");
    }

    private static String documentSummary(String json) {
        try {
            return Policies.summary(json);
        } catch (RuntimeException e) {
            return "(set)";
        }
    }

    private static String show(String value) {
        return value == null ? "(none)" : value;
    }
}
