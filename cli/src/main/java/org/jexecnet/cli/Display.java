package org.jexecnet.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.jexecnet.Tuple;

/**
 * How the command line prints the values channels carry: as Python would, since they are execnet's
 * values, except bytes, which print as the text they are when they decode as UTF-8, else in hex
 * (which {@link #firstHex()} tells, once, so that the command can say so once).
 */
final class Display {
    /** Hex beyond this many bytes is cut short: a screenful says what the bytes are. */
    private static final int MAX_HEX_BYTES = 64;

    private boolean hexShown;
    private boolean hexTold;

    String show(Object value) {
        if (value instanceof byte[] bytes) {
            String text = utf8(bytes);
            return text != null ? text : hex(bytes);
        }
        return nested(value, false);
    }

    /** True the first time something was shown in hex, false before and after. */
    boolean firstHex() {
        if (hexShown && !hexTold) {
            hexTold = true;
            return true;
        }
        return false;
    }

    private String nested(Object value, boolean inside) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof byte[] bytes) {
            String text = utf8(bytes);
            return text != null ? "b" + quoted(text) : "0x" + hex(bytes);
        }
        if (value instanceof String text) {
            return inside ? quoted(text) : text; // inside a container, "1" and 1 must look different
        }
        if (value instanceof Tuple tuple) {
            String items = tuple.stream().map(item -> nested(item, true)).collect(Collectors.joining(", "));
            return "(" + items + (tuple.size() == 1 ? ",)" : ")");
        }
        if (value instanceof Collection<?> items) {
            return "[" + items.stream().map(item -> nested(item, true)).collect(Collectors.joining(", ")) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            return "{" + map.entrySet().stream().map(e -> nested(e.getKey(), true) + ": " + nested(e.getValue(), true))
                    .collect(Collectors.joining(", ")) + "}";
        }
        return String.valueOf(value);
    }

    private static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
    }

    /** The bytes as text, or null when they are not valid UTF-8 or hold control characters other than white space. */
    private static String utf8(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        boolean printable = text.chars().allMatch(c -> !Character.isISOControl(c) || c == '\n' || c == '\t' || c == '\r');
        return printable ? text : null;
    }

    private String hex(byte[] bytes) {
        hexShown = true;
        if (bytes.length <= MAX_HEX_BYTES) {
            return HexFormat.of().formatHex(bytes);
        }
        return HexFormat.of().formatHex(bytes, 0, MAX_HEX_BYTES) + "... (" + bytes.length + " bytes)";
    }
}
