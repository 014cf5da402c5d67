package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jexecnet.FrozenSet;
import org.jexecnet.Tuple;

/** Comparison of serializer values by content and by Python type, which plain equals() cannot do. */
public final class Values {
    private Values() {}

    private static final HexFormat HEX = HexFormat.of();

    /**
     * A value with its Python type made explicit: byte[] compares by content, a Tuple never equals a
     * list, Integer never equals Long, sets and dicts compare regardless of order.
     */
    record Tagged(String type, Object content) {}

    public static Object canonical(Object value) {
        if (value == null) {
            return new Tagged("None", "");
        }
        if (value instanceof byte[] bytes) {
            return new Tagged("bytes", HEX.formatHex(bytes));
        }
        if (value instanceof Tuple tuple) {
            return new Tagged("tuple", canonicalItems(tuple));
        }
        if (value instanceof List<?> list) {
            return new Tagged("list", canonicalItems(list));
        }
        if (value instanceof FrozenSet set) {
            return new Tagged("frozenset", canonicalSet(set));
        }
        if (value instanceof Set<?> set) {
            return new Tagged("set", canonicalSet(set));
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new HashMap<>();
            map.forEach((k, v) -> out.put(canonical(k), canonical(v)));
            return new Tagged("dict", out);
        }
        return new Tagged(value.getClass().getSimpleName(), value);
    }

    private static List<Object> canonicalItems(List<?> items) {
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            out.add(canonical(item));
        }
        return out;
    }

    private static Set<Object> canonicalSet(Set<?> items) {
        Set<Object> out = new HashSet<>();
        for (Object item : items) {
            out.add(canonical(item));
        }
        return out;
    }

    public static void assertSameValue(Object expected, Object actual, String context) {
        assertEquals(canonical(expected), canonical(actual), context);
    }

    /** True when the value holds a set or frozenset of two or more items, whose order Python may change. */
    public static boolean hasUnorderedSet(Object value) {
        if (value instanceof Set<?> set) {
            return set.size() > 1 || set.stream().anyMatch(Values::hasUnorderedSet);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(Values::hasUnorderedSet);
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> hasUnorderedSet(e.getKey()) || hasUnorderedSet(e.getValue()));
        }
        return false;
    }

    public static byte[] hex(String hex) {
        return HEX.parseHex(hex);
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** A value as it arrives at the other end: dumped into a payload and loaded back, with no channels inside. */
    public static Object travelled(Object value) {
        byte[] payload = org.jexecnet.internal.serial.Dumper.dumpPayload(value, null);
        return org.jexecnet.internal.serial.Loader.loadPayload(payload, 0, payload.length,
                org.jexecnet.internal.serial.StringCoercion.CHANNEL_DEFAULT, null);
    }
}
