package dev.vigil.provision;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One AWS resource, desired (from the household file) or found (by describe calls).
 *
 * @param attributes the settings that matter, as canonical text (policies as key-sorted JSON); the planner
 *                   compares the keys the desired resource has, found resources may carry more (an ARN)
 * @param tags       the resource's tags ({@link Names#MANAGED_TAG} marks what Vigil created)
 */
public record Resource(Kind kind, String name, SortedMap<String, String> attributes, SortedMap<String, String> tags) {

    public Resource {
        attributes = new TreeMap<>(attributes == null ? Map.of() : attributes);
        tags = new TreeMap<>(tags == null ? Map.of() : tags);
    }

    public Resource(Kind kind, String name, Map<String, String> attributes, Map<String, String> tags) {
        this(kind, name, new TreeMap<>(attributes), new TreeMap<>(tags));
    }

    public String attribute(String key) {
        return attributes.get(key);
    }

    public boolean managed() {
        return "true".equals(tags.get(Names.MANAGED_TAG));
    }

    /** Kind and name: what identifies a resource across desired and found. */
    public String key() {
        return kind + "/" + name;
    }
}
