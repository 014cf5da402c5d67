package org.jexecnet;

/**
 * A value is not of the type its receiver asked for, and cannot be converted to it without losing
 * something: raised by the typed forms of receiving and loading, such as
 * {@link Channel#receive(Class, java.time.Duration)}, {@link Execnet#loads(byte[], Class)} and
 * {@link Execnet#convert(Object, Class)}, whose documentation gives the conversion rules.
 *
 * <p>The message names the type asked for, where the problem sits inside the value, and what was
 * found there, for example
 * {@code cannot receive a Point on <Channel id=1 of gw0>: value.y: expected int, got String "4"}.
 * A channel's item that fails to convert has been taken from the channel all the same.
 */
public final class ConversionException extends DataFormatException {
    private static final long serialVersionUID = 1L;

    /** Where the problem sits inside the value. */
    private final String path;

    /**
     * Creates the exception.
     *
     * @param context what was being converted to what, such as {@code cannot load a Point}
     * @param path where the problem sits inside the value, such as {@code value.points[2].x}
     * @param reason what is wrong there: the type expected and what was found
     */
    public ConversionException(String context, String path, String reason) {
        super(context + ": " + path + ": " + reason);
        this.path = path;
    }

    /**
     * Where the problem sits inside the value: {@code value} for the value itself, {@code .name} for a
     * record component, {@code [i]} for a list element, {@code ["key"]} for a dictionary value,
     * {@code {key #i}} for the i-th dictionary key and {@code {#i}} for the i-th set element.
     *
     * @return the path, starting with {@code value}
     */
    public String path() {
        return path;
    }
}
