package org.jexecnet.internal.convert;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What jexecnet needs of a record class: its components' names and generic types, reading them, and
 * its canonical constructor. A record travels as a dict of its components; only a record class that
 * the receiver names is ever constructed, from the values of that dict, so nothing the peer sends
 * chooses a class.
 *
 * <p>jexecnet reaches a record reflectively, from its own module. That works at once for a record on
 * the class path, and for a public record in a package its module exports; any other record's module
 * must open the package to jexecnet ({@code opens com.acme.model to org.jexecnet;}), which the error
 * message says. Worked out once per class.
 */
public final class RecordShape {
    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type);
        }
    };

    /** A component: its name, its declared type (with type arguments), and its accessor. */
    record Component(String name, Type type, Method accessor) {}

    private final Class<?> type;
    private final List<Component> components = new ArrayList<>();
    private final Constructor<?> constructor;
    /** Why jexecnet cannot reach the record, and how to fix it; null when it can. */
    private final String inaccessible;

    private RecordShape(Class<?> type) {
        this.type = type;
        RecordComponent[] declared = type.getRecordComponents();
        Class<?>[] parameterTypes = new Class<?>[declared.length];
        boolean reachable = true;
        for (int i = 0; i < declared.length; i++) {
            Method accessor = declared[i].getAccessor();
            reachable &= accessor.trySetAccessible();
            components.add(new Component(declared[i].getName(), declared[i].getGenericType(), accessor));
            parameterTypes[i] = declared[i].getType();
        }
        Constructor<?> canonical;
        try {
            canonical = type.getDeclaredConstructor(parameterTypes);
            reachable &= canonical.trySetAccessible();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " is a record without its canonical constructor", e);
        }
        this.constructor = canonical;
        this.inaccessible = reachable ? null : accessAdvice(type);
    }

    /**
     * The shape of a record class.
     *
     * @throws IllegalArgumentException when the class is not a record
     */
    public static RecordShape of(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        return SHAPES.get(type);
    }

    private static String accessAdvice(Class<?> type) {
        Module module = type.getModule();
        String pkg = type.getPackageName();
        return "jexecnet cannot reach record " + type.getName() + ": module " + module.getName() + " does not open package " + pkg
                + " to org.jexecnet; add \"opens " + pkg + " to org.jexecnet;\" to that module's module-info.java"
                + " (or export the package and make the record public)";
    }

    List<Component> components() {
        return components;
    }

    String simpleName() {
        return type.getSimpleName();
    }

    /**
     * The record's components by name, in declaration order: what it travels as.
     *
     * @throws IllegalStateException when jexecnet cannot reach the record (the message says how to fix
     *     that), or an accessor throws
     */
    public Map<String, Object> values(Object record) {
        requireAccess();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Component component : components) {
            try {
                values.put(component.name(), component.accessor().invoke(record));
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(type.getSimpleName() + "." + component.name() + "() threw " + e.getCause(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(accessAdvice(type), e);
            }
        }
        return values;
    }

    /**
     * A new record of these component values, already of the component types.
     *
     * @throws Mismatch when jexecnet cannot reach the record, or its constructor refuses the values
     */
    Object construct(Object[] values) {
        requireReachable();
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new Mismatch(type.getSimpleName() + "'s constructor refused the values: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new Mismatch(accessAdvice(type));
        }
    }

    private void requireAccess() {
        if (inaccessible != null) {
            throw new IllegalStateException(inaccessible);
        }
    }

    /**
     * Refuses a record jexecnet cannot reach, before its values are looked at: that is what to fix first.
     *
     * @throws Mismatch saying how to open the record's package
     */
    void requireReachable() {
        if (inaccessible != null) {
            throw new Mismatch(inaccessible);
        }
    }
}
