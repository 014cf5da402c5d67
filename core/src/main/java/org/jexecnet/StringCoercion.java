package org.jexecnet;

/**
 * What Python's two string types load as in Java: execnet's string coercion, its
 * {@code py2str_as_py3str} and {@code py3str_as_py2str} flags, named. Python 2's {@code str} is bytes
 * (Latin-1 when read as text); Python 3's {@code str} is text (UTF-8 on the wire). Only loading is
 * affected: a Java {@code String} is always sent as Python 3's {@code str}, a {@code byte[]} as bytes.
 *
 * <pre>{@code
 * gateway.reconfigure(StringCoercion.PY3STR_AS_PY2STR);        // strings arrive as byte[] from now on
 * Object value = Execnet.loads(bytes, StringCoercion.PY2STR_AS_PY3STR);
 * }</pre>
 *
 * @see Execnet#loads(byte[], StringCoercion)
 * @see Gateway#reconfigure(StringCoercion)
 * @see Channel#reconfigure(StringCoercion)
 */
public enum StringCoercion {
    /**
     * Each as Python 3 has it: Python 2's {@code str} as {@code byte[]}, Python 3's as {@code String}.
     * Neither of execnet's flags; the default of {@link Execnet#loads(byte[])}.
     */
    NONE,
    /**
     * Both as {@code String}: Python 2's {@code str} decoded as Latin-1. execnet's
     * {@code py2str_as_py3str=True}; the default of gateways and channels.
     */
    PY2STR_AS_PY3STR,
    /** Both as {@code byte[]}: Python 3's {@code str} as its UTF-8. execnet's {@code py3str_as_py2str=True}. */
    PY3STR_AS_PY2STR,
    /**
     * Each as the other: Python 2's {@code str} as {@code String}, Python 3's as {@code byte[]}. Both of
     * execnet's flags.
     */
    SWAPPED
}
