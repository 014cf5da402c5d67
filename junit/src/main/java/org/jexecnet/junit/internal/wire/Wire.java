package org.jexecnet.junit.internal.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jexecnet.Tuple;

/**
 * Reading a message's fields, each checked for its type: a field of the wrong type is the peer's error
 * and named as such. The one place where wire values are taken apart, so that no record repeats the checks.
 */
final class Wire {
    private Wire() {}

    /** The message's fields after its tag: a tuple whose first item is {@code tag} and that has {@code size} items in all. */
    static Tuple fields(Object message, String tag, int size) {
        if (message instanceof Tuple tuple && tuple.size() == size && tag.equals(tuple.get(0))) {
            return tuple;
        }
        throw malformed(tag + " message of " + size + " items", message);
    }

    /** The tag of a tagged message: the first item of a non-empty tuple that is a string. */
    static String tag(Object message) {
        if (message instanceof Tuple tuple && !tuple.isEmpty() && tuple.get(0) instanceof String tag) {
            return tag;
        }
        throw malformed("tagged message", message);
    }

    static String string(Object value, String what) {
        if (value instanceof String text) {
            return text;
        }
        throw malformed(what + " (a string)", value);
    }

    static String optionalString(Object value, String what) {
        return value == null ? null : string(value, what);
    }

    static int integer(Object value, String what) {
        if (value instanceof Integer number) {
            return number;
        }
        throw malformed(what + " (an int)", value);
    }

    static long number(Object value, String what) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw malformed(what + " (an integer)", value);
    }

    static boolean bool(Object value, String what) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw malformed(what + " (a bool)", value);
    }

    static List<?> list(Object value, String what) {
        if (value instanceof List<?> items) {
            return items;
        }
        throw malformed(what + " (a list)", value);
    }

    static List<String> strings(Object value, String what) {
        List<String> strings = new ArrayList<>();
        for (Object item : list(value, what)) {
            strings.add(string(item, "an item of " + what));
        }
        return List.copyOf(strings);
    }

    static Map<String, String> stringMap(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw malformed(what + " (a dict)", value);
        }
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((key, item) -> strings.put(string(key, "a key of " + what), string(item, "a value of " + what)));
        return strings;
    }

    static IllegalArgumentException malformed(String expected, Object found) {
        String shown = String.valueOf(found);
        return new IllegalArgumentException("malformed message from the other side of the test run: expected a " + expected
                + ", got " + (found == null ? "None" : found.getClass().getSimpleName() + " "
                + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown)));
    }
}
