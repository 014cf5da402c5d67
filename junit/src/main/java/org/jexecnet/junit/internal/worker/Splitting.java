package org.jexecnet.junit.internal.worker;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Which test classes may have their methods run apart, on several workers, when they take long: a
 * Jupiter class of plain methods that share no instance ({@code @TestInstance(PER_CLASS)}) and ask for
 * no order ({@code @TestMethodOrder}), in a suite whose defaults do neither. Such a class behaves the
 * same when a method runs alone, as an IDE runs it. Anything else (other engines, nested classes) stays
 * whole.
 */
final class Splitting {
    private static final String ORDER = "org.junit.jupiter.api.TestMethodOrder";
    private static final String INSTANCE = "org.junit.jupiter.api.TestInstance";
    private static final String JUPITER = "[engine:junit-jupiter]";

    private final boolean defaultsAllow;

    private Splitting(boolean defaultsAllow) {
        this.defaultsAllow = defaultsAllow;
    }

    static Splitting of(ConfigurationParameters configuration) {
        boolean perClass = configuration.get("junit.jupiter.testinstance.lifecycle.default").map(v -> v.strip().equalsIgnoreCase("per_class"))
                .orElse(false);
        boolean ordered = configuration.get("junit.jupiter.testmethod.order.default").isPresent();
        return new Splitting(!perClass && !ordered);
    }

    boolean allows(TestPlan plan, TestIdentifier identifier) {
        if (!defaultsAllow || !identifier.getUniqueId().startsWith(JUPITER)
                || !(identifier.getSource().orElse(null) instanceof ClassSource source)
                || identifier.getParentIdObject().map(parent -> plan.getTestIdentifier(parent).getParentIdObject().isPresent()).orElse(true)) {
            return false;
        }
        for (TestIdentifier child : plan.getChildren(identifier)) {
            if (!(child.getSource().orElse(null) instanceof MethodSource)) {
                return false;
            }
        }
        try {
            Class<?> type = Class.forName(source.getClassName(), false, Thread.currentThread().getContextClassLoader());
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Annotation annotation : c.getDeclaredAnnotations()) {
                    if (forbids(annotation, new HashSet<>())) {
                        return false;
                    }
                }
            }
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Whether an annotation, or one it is annotated with, asks for an order or one instance. */
    private static boolean forbids(Annotation annotation, Set<Class<?>> seen) {
        Class<? extends Annotation> type = annotation.annotationType();
        if (!seen.add(type) || type.getName().startsWith("java.lang.annotation.")) {
            return false;
        }
        if (type.getName().equals(ORDER)) {
            return true;
        }
        if (type.getName().equals(INSTANCE)) {
            return "PER_CLASS".equals(String.valueOf(value(annotation)));
        }
        for (Annotation meta : type.getDeclaredAnnotations()) {
            if (forbids(meta, seen)) {
                return true;
            }
        }
        return false;
    }

    private static Object value(Annotation annotation) {
        try {
            Method value = annotation.annotationType().getMethod("value");
            return value.invoke(annotation);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
