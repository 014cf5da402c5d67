package org.jexecnet.junit.internal.worker;

import org.jexecnet.junit.internal.wire.Node;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.engine.support.descriptor.PackageSource;
import org.junit.platform.launcher.TestIdentifier;

/** A test identifier as a wire node: the sources the reports use (class, method, package), the rest by name. */
final class Nodes {
    private Nodes() {}

    static Node of(TestIdentifier identifier, boolean splittable) {
        return new Node(identifier.getUniqueId(), identifier.getParentId().orElse(null), identifier.getDisplayName(),
                identifier.getLegacyReportingName(), identifier.getType().name(), source(identifier.getSource().orElse(null)),
                identifier.getTags().stream().map(TestTag::getName).toList(), splittable);
    }

    static Node of(TestIdentifier identifier) {
        return of(identifier, false);
    }

    private static String source(TestSource source) {
        if (source instanceof MethodSource method) {
            return "method:" + method.getClassName() + "#" + method.getMethodName() + "(" + method.getMethodParameterTypes() + ")";
        } else if (source instanceof ClassSource type) {
            return "class:" + type.getClassName();
        } else if (source instanceof PackageSource pkg) {
            return "package:" + pkg.getPackageName();
        }
        return null;
    }
}
