package org.jexecnet.internal.convert;

import java.lang.reflect.Array;

/**
 * A value that does not convert to the type asked for, with the path to it collected on the way up:
 * each container marks the failure with its segment, so that the conversion of a well-typed value pays
 * nothing for error reporting.
 */
final class Mismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int SHOWN_CHARACTERS = 60;

    private final transient ValuePath path = new ValuePath();

    Mismatch(String reason) {
        super(reason, null, false, false);
    }

    /** The usual reason: the type asked for, and what was there instead. */
    static Mismatch expected(String expected, Object found) {
        return new Mismatch("expected " + expected + ", got " + shown(found));
    }

    /** As {@link #expected(String, Object)}, saying why what was found does not do. */
    static Mismatch expected(String expected, Object found, String why) {
        return new Mismatch("expected " + expected + ", got " + shown(found) + ", " + why);
    }

    Mismatch under(String segment) {
        path.addOuter(segment);
        return this;
    }

    String path() {
        return path.toString();
    }

    /** A found value as a message shows it: its type, and its text cut short; strings quoted. */
    static String shown(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            return value.getClass().getComponentType().getSimpleName() + "[] of " + Array.getLength(value) + " elements";
        }
        String text;
        try {
            text = value instanceof String string ? '"' + string + '"' : String.valueOf(value);
        } catch (RuntimeException e) { // a toString that fails must not hide the mismatch
            text = "(unprintable)";
        }
        if (text.length() > SHOWN_CHARACTERS) {
            text = text.substring(0, SHOWN_CHARACTERS) + "...";
        }
        return value.getClass().getSimpleName() + " " + text;
    }
}
