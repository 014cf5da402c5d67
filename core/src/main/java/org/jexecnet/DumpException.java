package org.jexecnet;

/**
 * A value cannot be serialized: it holds a type execnet's format has no opcode for, a set element or
 * dictionary key that Python cannot hash, a string that is not valid Unicode, or it nests too deeply.
 *
 * <p>The message names the offending type and where it sits inside the value, for example
 * {@code value[3]["key"]: cannot serialize java.lang.Thread (...)}.
 */
public final class DumpException extends DataFormatException {
    private static final long serialVersionUID = 1L;

    /** Where in the value the refused part sat, such as {@code value[3]["key"]}. */
    private final String path;

    /**
     * Creates the exception.
     *
     * @param path where the problem sits inside the value, such as {@code value[3]["key"]}
     * @param reason what is wrong there
     */
    public DumpException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    /**
     * Where the problem sits inside the value: {@code value} for the value itself, {@code [i]} for a
     * list or tuple element, {@code ["key"]} for a dictionary value, {@code {key #i}} for the i-th
     * dictionary key and {@code {#i}} for the i-th set element.
     *
     * @return the path, starting with {@code value}
     */
    public String path() {
        return path;
    }
}
