package org.jexecnet.internal.serial;

/**
 * execnet's serializer format: a postfix stack machine of one-byte opcodes, with big-endian int32
 * lengths and float64 values, ending in {@link #STOP}. The letters are execnet's since 1.4.1; they must
 * never change, or Python peers stop understanding us.
 */
final class Format {
    private Format() {}

    static final byte BUILDTUPLE = '@';
    static final byte BYTES = 'A';
    static final byte CHANNEL = 'B';
    static final byte FALSE = 'C';
    static final byte FLOAT = 'D';
    static final byte FROZENSET = 'E';
    static final byte INT = 'F';
    /** Python 2's {@code long} within int32; read only. */
    static final byte PY2_LONG = 'G';
    static final byte LONGINT = 'H';
    /** Python 2's {@code long} beyond int32; read only. */
    static final byte PY2_LONGLONG = 'I';
    static final byte NEWDICT = 'J';
    static final byte NEWLIST = 'K';
    static final byte NONE = 'L';
    /** Python 2's {@code str} (bytes); read only. */
    static final byte PY2_STRING = 'M';
    static final byte STRING = 'N';
    static final byte SET = 'O';
    static final byte SETITEM = 'P';
    static final byte STOP = 'Q';
    static final byte TRUE = 'R';
    /** Python 2's {@code unicode}; read only. */
    static final byte PY2_UNICODE = 'S';
    static final byte COMPLEX = 'T';

    /** The version byte of execnet 1.x's public {@code dumps} form. */
    static final int VERSION_1 = 1;
    /** The version byte of execnet 2.x's public {@code dumps} form. */
    static final int VERSION_2 = 2;

    /**
     * Containers nested deeper than this are refused both ways. Python cannot build deeper values
     * anyway (its recursion limit is 1000), and the bound keeps hashing and printing of loaded values
     * off the edge of the thread stack.
     */
    static final int MAX_DEPTH = 1000;

    /**
     * The most decimal digits a big integer may have: Python's default {@code int_max_str_digits},
     * beyond which Python can neither write nor read the decimal text of the {@code H} opcode. Parsing
     * decimal text is quadratic, so the bound also keeps hostile input from burning CPU.
     */
    static final int MAX_INT_DIGITS = 4300;
}
