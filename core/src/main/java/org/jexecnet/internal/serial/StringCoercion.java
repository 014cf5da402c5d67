package org.jexecnet.internal.serial;

/**
 * How strings load, as execnet's {@code strconfig}: Python 2's {@code str} ({@code M}) as a Java
 * {@code String} (decoded as Latin-1) instead of {@code byte[]}, and Python 3's {@code str} ({@code N})
 * as {@code byte[]} (its UTF-8) instead of a {@code String}. Only loading is affected.
 *
 * @param py2strAsPy3str load {@code M} as {@code String}
 * @param py3strAsPy2str load {@code N} as {@code byte[]}
 */
public record StringCoercion(boolean py2strAsPy3str, boolean py3strAsPy2str) {
    /** The default of the public {@code loads}: {@code M} gives bytes, {@code N} gives strings. */
    public static final StringCoercion PLAIN = new StringCoercion(false, false);
    /** The default of gateways and channels: both {@code M} and {@code N} give strings. */
    public static final StringCoercion CHANNEL_DEFAULT = new StringCoercion(true, false);

    /** The flags of the API's named coercion. */
    public static StringCoercion of(org.jexecnet.StringCoercion named) {
        return switch (named) {
            case NONE -> PLAIN;
            case PY2STR_AS_PY3STR -> CHANNEL_DEFAULT;
            case PY3STR_AS_PY2STR -> new StringCoercion(false, true);
            case SWAPPED -> new StringCoercion(true, true);
        };
    }
}
