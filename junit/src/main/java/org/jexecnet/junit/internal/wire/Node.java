package org.jexecnet.junit.internal.wire;

import java.util.List;
import org.jexecnet.Tuple;

/**
 * One test or container of a test plan, as a worker discovered or registered it: what the master needs
 * to rebuild its {@code TestIdentifier}.
 *
 * @param uniqueId its unique id
 * @param parentId its parent's unique id, or null for an engine
 * @param displayName the display name
 * @param legacyName the legacy reporting name, which the XML reports use
 * @param type {@code CONTAINER}, {@code TEST} or {@code CONTAINER_AND_TEST}
 * @param source where it comes from: {@code class:NAME}, {@code method:CLASS#NAME(PARAMETER TYPES)},
 *     {@code package:NAME}, or null
 * @param tags its tags
 * @param splittable whether it is a class whose tests may run apart, on several workers: they do not
 *     depend on their order or on one instance
 */
public record Node(String uniqueId, String parentId, String displayName, String legacyName, String type, String source,
        List<String> tags, boolean splittable) {
    private static final List<String> TYPES = List.of("CONTAINER", "TEST", "CONTAINER_AND_TEST");

    public Node {
        tags = List.copyOf(tags);
    }

    public Tuple toWire() {
        return Tuple.of(uniqueId, parentId, displayName, legacyName, type, source, tags, splittable);
    }

    public static Node fromWire(Object value) {
        if (!(value instanceof Tuple t) || t.size() != 8) {
            throw Wire.malformed("test plan node of 8 items", value);
        }
        String type = Wire.string(t.get(4), "node type");
        if (!TYPES.contains(type)) {
            throw Wire.malformed("node type, one of " + TYPES, type);
        }
        return new Node(Wire.string(t.get(0), "unique id"), Wire.optionalString(t.get(1), "parent id"),
                Wire.string(t.get(2), "display name"), Wire.string(t.get(3), "legacy reporting name"), type,
                Wire.optionalString(t.get(5), "source"), Wire.strings(t.get(6), "tags"), Wire.bool(t.get(7), "splittable"));
    }

    /** Whether it is a test: a {@code TEST} or a {@code CONTAINER_AND_TEST}. */
    public boolean isTest() {
        return type.endsWith("TEST");
    }
}
