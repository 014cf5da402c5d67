package org.jexecnet.cli;

import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.jexecnet.Tuple;

/** How the command line prints the values channels carry: as Python would, since they are execnet's values. */
final class Display {
    private Display() {}

    static String show(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof byte[] bytes) {
            return bytes.length <= 64 ? "b'" + HexFormat.of().formatHex(bytes) + "' (hex)" : "<" + bytes.length + " bytes>";
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Tuple tuple) {
            String items = tuple.stream().map(Display::nested).collect(Collectors.joining(", "));
            return "(" + items + (tuple.size() == 1 ? ",)" : ")");
        }
        if (value instanceof Collection<?> items) {
            return "[" + items.stream().map(Display::nested).collect(Collectors.joining(", ")) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            return "{" + map.entrySet().stream().map(e -> nested(e.getKey()) + ": " + nested(e.getValue()))
                    .collect(Collectors.joining(", ")) + "}";
        }
        return String.valueOf(value);
    }

    /** Inside a container, strings are quoted, so that "1" and 1 look different. */
    private static String nested(Object value) {
        return value instanceof String text ? "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'" : show(value);
    }
}
