package org.jexecnet.junit.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jexecnet.junit.internal.wire.Node;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The suite's test plan on the master, rebuilt from the nodes a worker discovered: a real
 * {@link TestPlan}, so that the JUnit Platform's own listeners (the summary, the legacy XML reports) and
 * any a build tool brings work on it as on a plan they discovered themselves. Tests registered while
 * running join it as they are reported.
 */
final class MirrorPlan {
    private final TestPlan plan;
    private final Map<String, MirrorDescriptor> descriptors = new HashMap<>();
    private final List<MirrorDescriptor> roots = new ArrayList<>();

    MirrorPlan(List<Node> nodes, Map<String, String> configuration) {
        for (Node node : nodes) {
            MirrorDescriptor descriptor = new MirrorDescriptor(node);
            MirrorDescriptor parent = node.parentId() == null ? null : descriptors.get(node.parentId());
            if (node.parentId() != null && parent == null) {
                throw new IllegalArgumentException("the worker's test plan names " + node.uniqueId() + " before its parent " + node.parentId());
            }
            if (descriptors.putIfAbsent(node.uniqueId(), descriptor) != null) {
                throw new IllegalArgumentException("the worker's test plan has " + node.uniqueId() + " twice");
            }
            if (parent == null) {
                roots.add(descriptor);
            } else {
                parent.addChild(descriptor);
            }
        }
        this.plan = TestPlan.from(List.copyOf(roots), new Configuration(configuration));
    }

    TestPlan plan() {
        return plan;
    }

    /** The identifier of a test or container, or null when the plan has none of that id. */
    TestIdentifier identifier(String uniqueId) {
        MirrorDescriptor descriptor = descriptors.get(uniqueId);
        return descriptor == null ? null : plan.getTestIdentifier(descriptor.getUniqueId());
    }

    MirrorDescriptor descriptor(String uniqueId) {
        return descriptors.get(uniqueId);
    }

    List<MirrorDescriptor> roots() {
        return roots;
    }

    /**
     * Adds a test or container registered while running.
     *
     * @return its identifier, or null when its parent is unknown or it is known already (it was run again)
     */
    TestIdentifier register(Node node) {
        MirrorDescriptor parent = node.parentId() == null ? null : descriptors.get(node.parentId());
        if (parent == null || descriptors.containsKey(node.uniqueId())) {
            return null;
        }
        MirrorDescriptor descriptor = new MirrorDescriptor(node);
        descriptors.put(node.uniqueId(), descriptor);
        parent.addChild(descriptor);
        TestIdentifier identifier = TestIdentifier.from(descriptor);
        plan.addInternal(identifier);
        return identifier;
    }

    /** The configuration parameters the run was given, for listeners that read them from the plan. */
    private record Configuration(Map<String, String> values) implements ConfigurationParameters {
        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public Optional<Boolean> getBoolean(String key) {
            return get(key).map(value -> value.strip().equalsIgnoreCase("true"));
        }

        @Override
        @Deprecated
        public int size() {
            return values.size();
        }

        @Override
        public Set<String> keySet() {
            return values.keySet();
        }
    }
}
