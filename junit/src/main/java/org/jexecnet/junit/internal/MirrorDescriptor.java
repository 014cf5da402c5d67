package org.jexecnet.junit.internal;

import java.util.LinkedHashSet;
import java.util.Set;
import org.jexecnet.junit.internal.wire.Node;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.engine.support.descriptor.PackageSource;

/**
 * A test or container as a worker described it, standing on the master for the one the worker's engine
 * made: enough for a {@code TestIdentifier} (id, names, type, source, tags), nothing to run.
 */
final class MirrorDescriptor extends AbstractTestDescriptor {
    private final Type type;
    private final String legacyName;
    private final Set<TestTag> tags;
    private final boolean splittable;

    MirrorDescriptor(Node node) {
        super(UniqueId.parse(node.uniqueId()), node.displayName(), source(node.source()));
        this.type = Type.valueOf(node.type());
        this.legacyName = node.legacyName();
        Set<TestTag> valid = new LinkedHashSet<>();
        for (String tag : node.tags()) {
            if (TestTag.isValid(tag)) {
                valid.add(TestTag.create(tag));
            }
        }
        this.tags = Set.copyOf(valid);
        this.splittable = node.splittable();
    }

    @Override
    public Type getType() {
        return type;
    }

    @Override
    public String getLegacyReportingName() {
        return legacyName;
    }

    @Override
    public Set<TestTag> getTags() {
        return tags;
    }

    boolean isSplittable() {
        return splittable;
    }

    private static TestSource source(String source) {
        if (source == null) {
            return null;
        }
        int colon = source.indexOf(':');
        String value = source.substring(colon + 1);
        switch (source.substring(0, Math.max(0, colon))) {
            case "class":
                return ClassSource.from(value);
            case "package":
                return PackageSource.from(value);
            case "method":
                int hash = value.indexOf('#');
                int open = value.indexOf('(', hash + 1);
                if (hash > 0 && open > hash && value.endsWith(")")) {
                    return MethodSource.from(value.substring(0, hash), value.substring(hash + 1, open),
                            value.substring(open + 1, value.length() - 1));
                }
                return null;
            default:
                return null;
        }
    }
}
