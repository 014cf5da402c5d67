package org.jexecnet.internal.convert;

import java.lang.invoke.MethodType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jexecnet.ConversionException;

/**
 * Turns a loaded value into the type its receiver asks for: the typed receive and load. A value of the
 * type passes as it is; otherwise only these conversions happen, each without losing anything:
 * numbers to another numeric type that holds the same number ({@link ExactNumbers}); a dict to a
 * record by component name ({@link RecordShape}), recursively; a string to an enum constant of that
 * name, or to a {@code char}; and the elements, keys and values of a list, set or dict to the type
 * arguments of a {@code List<T>}, {@code Set<T>} or {@code Map<K, V>}, which makes new containers.
 *
 * <p>Only classes the receiver names are ever made, directly or as the declared type of a component
 * or type argument; nothing in the value chooses a class.
 */
public final class Converter {
    private Converter() {}

    /** As the serializer's bound: a value nested deeper is cyclic, or hostile. */
    private static final int MAX_DEPTH = 1000;

    /**
     * Converts a value to a class.
     *
     * @param context what is converted, for the message: {@code cannot receive a Point on <Channel ...>};
     *     made only when the conversion fails
     * @throws ConversionException when the value is not of the type and does not convert to it
     */
    @SuppressWarnings("unchecked")
    public static <T> T convert(Object value, Class<T> type, Supplier<String> context) {
        if (type.isInstance(value)) {
            return (T) value; // the common case, without a try
        }
        return (T) convert(value, (Type) type, context);
    }

    /**
     * Converts a value to a type that may have type arguments, such as a lambda's parameter type.
     *
     * @throws ConversionException when the value does not convert
     */
    public static Object convert(Object value, Type type, Supplier<String> context) {
        try {
            return to(value, type, 0);
        } catch (Mismatch mismatch) {
            throw new ConversionException(context.get(), mismatch.path(), mismatch.getMessage());
        }
    }

    /** {@code "a Point"}, {@code "an int"}: the type asked for, as a message's context names it. */
    public static String article(Type type) {
        String name = name(type);
        return ("aeiouAEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    private static Object to(Object value, Type type, int depth) {
        if (depth > MAX_DEPTH) {
            throw new Mismatch("the value nests deeper than " + MAX_DEPTH + " levels (is it cyclic?)");
        }
        if (type instanceof Class<?> target) {
            return toClass(value, target, depth);
        }
        if (type instanceof ParameterizedType parameterized) {
            return toParameterized(value, parameterized, depth);
        }
        if (type instanceof WildcardType wildcard) {
            return to(value, wildcard.getUpperBounds()[0], depth);
        }
        if (type instanceof TypeVariable<?> variable) {
            return to(value, variable.getBounds()[0], depth);
        }
        if (type instanceof GenericArrayType) {
            throw new Mismatch("cannot convert to " + name(type) + ": arrays other than byte[] have no execnet form; declare a List");
        }
        throw new Mismatch("cannot convert to " + type);
    }

    private static Object toClass(Object value, Class<?> target, int depth) {
        if (target.isPrimitive()) {
            if (value == null) {
                throw Mismatch.expected(target.getName(), null);
            }
            return toClass(value, boxed(target), target.getName(), depth);
        }
        return toClass(value, target, name(target), depth);
    }

    private static Object toClass(Object value, Class<?> target, String expected, int depth) {
        if (value == null || target.isInstance(value)) {
            return value;
        }
        if (value instanceof Number number && isNumeric(target)) {
            return ExactNumbers.convert(number, target, expected);
        }
        if (target.isRecord()) {
            return toRecord(value, target, depth);
        }
        if (target.isEnum() && value instanceof String name) {
            return toEnum(name, target);
        }
        if (target == Character.class && value instanceof String text && text.length() == 1) {
            return text.charAt(0);
        }
        if (target.isArray() && target != byte[].class) {
            throw new Mismatch("cannot convert to " + expected + ": arrays other than byte[] have no execnet form; declare a List");
        }
        throw Mismatch.expected(expected, value, hint(target));
    }

    private static String hint(Class<?> target) {
        if (target.isRecord()) {
            return "but a record arrives as a dict of its components";
        }
        if (target.isEnum()) {
            return "but an enum arrives as the name of its constant";
        }
        return "which does not convert";
    }

    private static boolean isNumeric(Class<?> target) {
        return target == Integer.class || target == Long.class || target == Double.class || target == Short.class
                || target == Byte.class || target == Float.class || target == BigInteger.class || target == BigDecimal.class;
    }

    private static Class<?> boxed(Class<?> primitive) {
        if (primitive == void.class) {
            throw new Mismatch("cannot convert to void");
        }
        return MethodType.methodType(primitive).wrap().returnType();
    }

    private static Object toRecord(Object value, Class<?> type, int depth) {
        if (!(value instanceof Map<?, ?> map)) {
            throw Mismatch.expected(name(type), value, hint(type));
        }
        RecordShape shape = RecordShape.of(type);
        shape.requireReachable();
        List<RecordShape.Component> components = shape.components();
        Set<String> names = components.stream().map(RecordShape.Component::name).collect(Collectors.toSet());
        int index = 0;
        for (Object key : map.keySet()) {
            if (!(key instanceof String name)) {
                throw new Mismatch("a dict for record " + shape.simpleName() + " needs component names as keys, got " + Mismatch.shown(key))
                        .under("{key #" + index + "}");
            }
            if (!names.contains(name)) {
                throw new Mismatch(shape.simpleName() + " has no component \"" + name + "\" (its components: " + String.join(", ",
                        components.stream().map(RecordShape.Component::name).toList()) + ")");
            }
            index++;
        }
        Object[] args = new Object[components.size()];
        for (int i = 0; i < args.length; i++) {
            RecordShape.Component component = components.get(i);
            if (!map.containsKey(component.name())) {
                throw new Mismatch("no value for " + shape.simpleName() + "'s component \"" + component.name() + "\" (the dict has "
                        + (map.isEmpty() ? "no keys" : "keys " + String.join(", ", map.keySet().stream().map(String::valueOf).toList())) + ")");
            }
            try {
                args[i] = to(map.get(component.name()), component.type(), depth + 1);
            } catch (Mismatch mismatch) {
                throw mismatch.under("." + component.name());
            }
            if (args[i] == null && component.accessor().getReturnType().isPrimitive()) {
                throw Mismatch.expected(component.accessor().getReturnType().getName(), null).under("." + component.name());
            }
        }
        return shape.construct(args);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object toEnum(String name, Class<?> type) {
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                return constant;
            }
        }
        List<String> constants = java.util.Arrays.stream(type.getEnumConstants()).map(c -> ((Enum) c).name()).toList();
        throw new Mismatch(type.getSimpleName() + " has no constant \"" + name + "\" (its constants: " + String.join(", ", constants) + ")");
    }

    /** {@code List<T>}, {@code Set<T>}, {@code Map<K, V>} and their supertypes: new containers of converted items. */
    private static Object toParameterized(Object value, ParameterizedType type, int depth) {
        Class<?> raw = (Class<?>) type.getRawType();
        if (value == null) {
            return null;
        }
        if (!raw.isInstance(value)) {
            throw Mismatch.expected(name(type), value);
        }
        Type[] arguments = type.getActualTypeArguments();
        if (value instanceof Map<?, ?> map && raw.isAssignableFrom(LinkedHashMap.class)) {
            Map<Object, Object> converted = new LinkedHashMap<>();
            int index = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key;
                try {
                    key = to(entry.getKey(), arguments[0], depth + 1);
                } catch (Mismatch mismatch) {
                    throw mismatch.under("{key #" + index + "}");
                }
                try {
                    converted.put(key, to(entry.getValue(), arguments[1], depth + 1));
                } catch (Mismatch mismatch) {
                    throw mismatch.under("[" + keyText(entry.getKey()) + "]");
                }
                index++;
            }
            return converted;
        }
        if (value instanceof Collection<?> items && arguments.length == 1) {
            boolean set = value instanceof Set;
            if (set ? raw.isAssignableFrom(LinkedHashSet.class) : raw.isAssignableFrom(ArrayList.class)) {
                Collection<Object> converted = set ? new LinkedHashSet<>() : new ArrayList<>(items.size());
                int index = 0;
                for (Object item : items) {
                    try {
                        converted.add(to(item, arguments[0], depth + 1));
                    } catch (Mismatch mismatch) {
                        throw mismatch.under(set ? "{#" + index + "}" : "[" + index + "]");
                    }
                    index++;
                }
                return converted;
            }
        }
        return value; // a generic type of the user's own: of its raw type, which is all that can be checked
    }

    private static String keyText(Object key) {
        String text = key instanceof String string ? '"' + string + '"' : String.valueOf(key);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** Simple names, with type arguments: {@code List<Point>}. */
    static String name(Type type) {
        if (type instanceof Class<?> c) {
            return c.getSimpleName().isEmpty() ? c.getName() : c.getSimpleName();
        }
        if (type instanceof ParameterizedType p) {
            return name(p.getRawType()) + java.util.Arrays.stream(p.getActualTypeArguments()).map(Converter::name)
                    .collect(Collectors.joining(", ", "<", ">"));
        }
        return type.getTypeName();
    }
}
