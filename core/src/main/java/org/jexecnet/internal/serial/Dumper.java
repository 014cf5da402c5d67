package org.jexecnet.internal.serial;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jexecnet.Complex;
import org.jexecnet.DumpException;
import org.jexecnet.FrozenSet;
import org.jexecnet.Tuple;
import org.jexecnet.internal.convert.RecordShape;
import org.jexecnet.internal.convert.ValuePath;

/**
 * Writes a value in execnet's serialized form, byte for byte as Python execnet writes it. A record is
 * written as a dict of its components and an enum as its constant's name: what Python can read.
 *
 * <p>Recursion follows the value's nesting, which {@link Format#MAX_DEPTH} bounds (a cyclic value ends
 * there too). Where a value cannot be written, the failure travels up as a {@link Refusal} that each
 * container marks with its segment of the path, so that the hot path pays nothing for error reporting.
 */
public final class Dumper {
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final BigInteger INT32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    private final ChannelRefs channels;
    private byte[] buf;
    private int pos;

    private Dumper(ChannelRefs channels, int initialCapacity) {
        this.channels = channels;
        this.buf = new byte[initialCapacity];
    }

    /**
     * The public form: a version byte, the value, {@code STOP}.
     *
     * @param value the value
     * @param version {@link Format#VERSION_1} or {@link Format#VERSION_2}
     * @return the bytes
     * @throws DumpException when the value cannot be written
     */
    public static byte[] dumps(Object value, int version) {
        if (version != Format.VERSION_1 && version != Format.VERSION_2) {
            throw new IllegalArgumentException("dump format version must be 1 (execnet 1.x) or 2 (execnet 2.x), not " + version);
        }
        Dumper dumper = new Dumper(null, 1 + sizeHint(value));
        dumper.buf[dumper.pos++] = (byte) version;
        return dumper.writeAll(value);
    }

    /**
     * The message-payload form: the value and {@code STOP}, no version byte.
     *
     * @param value the value
     * @param channels the gateway's channels, or {@code null} where channels cannot be sent
     * @return the bytes
     * @throws DumpException when the value cannot be written
     */
    public static byte[] dumpPayload(Object value, ChannelRefs channels) {
        return new Dumper(channels, sizeHint(value)).writeAll(value);
    }

    /**
     * A first guess of the serialized size, from the outermost container alone, so that a large value
     * does not grow the buffer a dozen times. An exact guess also saves the final copy.
     */
    private static int sizeHint(Object value) {
        long hint;
        if (value instanceof byte[] bytes) {
            hint = 6L + bytes.length;
        } else if (value instanceof String text) {
            hint = 6L + text.length();
        } else if (value instanceof Collection<?> items) {
            hint = 16L + 11L * items.size();
            if (items.size() <= 8) { // a small tuple such as (kind, size, chunk): room for its bytes, so no copy
                for (Object item : items) {
                    hint += item instanceof byte[] bytes ? bytes.length : item instanceof String text ? text.length() : 0;
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            hint = 16L + 24L * map.size();
        } else {
            hint = 64;
        }
        return (int) Math.min(hint, 1 << 26);
    }

    private byte[] writeAll(Object value) {
        try {
            write(value, 0);
            ensure(1);
            buf[pos++] = Format.STOP;
        } catch (Refusal refusal) {
            throw new DumpException(refusal.path(), refusal.getMessage());
        }
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }

    private void write(Object value, int depth) {
        if (value == null) {
            op(Format.NONE);
            return;
        }
        // Exact classes first: they are what nearly every value is made of, and a class comparison is
        // the cheapest test there is.
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            opInt(Format.INT, (Integer) value);
        } else if (type == String.class) {
            writeString((String) value);
        } else if (type == Long.class) {
            writeLong((Long) value);
        } else if (type == Double.class) {
            writeDouble((Double) value);
        } else if (type == Boolean.class) {
            op((Boolean) value ? Format.TRUE : Format.FALSE);
        } else if (type == byte[].class) {
            writeBytes((byte[]) value);
        } else if (type == Short.class || type == Byte.class) {
            opInt(Format.INT, ((Number) value).intValue());
        } else if (type == Float.class) {
            writeDouble((Float) value);
        } else if (value instanceof BigInteger big) {
            writeBigInteger(big);
        } else if (type == Complex.class) {
            Complex complex = (Complex) value;
            ensure(17);
            buf[pos++] = Format.COMPLEX;
            putDouble(complex.real());
            putDouble(complex.imag());
        } else if (value instanceof Tuple tuple) {
            writeItems(tuple, depth);
            opInt(Format.BUILDTUPLE, tuple.size());
        } else if (value instanceof List<?> list) {
            writeList(list, depth);
        } else if (value instanceof FrozenSet frozen) {
            writeSetItems(frozen, depth);
            opInt(Format.FROZENSET, frozen.size());
        } else if (value instanceof Set<?> set) {
            writeSetItems(set, depth);
            opInt(Format.SET, set.size());
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, depth);
        } else if (type.isRecord()) {
            writeRecord(value, depth);
        } else if (value instanceof Enum<?> constant) {
            writeString(constant.name());
        } else {
            writeChannelOrRefuse(value);
        }
    }

    /** A record travels as a dict of its components by name, which Python reads as a dict. */
    private void writeRecord(Object record, int depth) {
        Map<String, Object> components;
        try {
            components = RecordShape.of(record.getClass()).values(record);
        } catch (IllegalStateException e) {
            throw new Refusal("cannot serialize " + record.getClass().getName() + ": " + e.getMessage());
        }
        writeMap(components, depth);
    }

    private void writeItems(Tuple tuple, int depth) {
        checkDepth(depth);
        int size = tuple.size();
        for (int i = 0; i < size; i++) {
            try {
                write(tuple.get(i), depth + 1);
            } catch (Refusal refusal) {
                throw refusal.under("[" + i + "]");
            }
        }
    }

    private void writeList(List<?> list, int depth) {
        checkDepth(depth);
        opInt(Format.NEWLIST, list.size());
        int index = 0;
        for (Object item : list) {
            opInt(Format.INT, index);
            try {
                write(item, depth + 1);
            } catch (Refusal refusal) {
                throw refusal.under("[" + index + "]");
            }
            op(Format.SETITEM);
            index++;
        }
    }

    private void writeSetItems(Collection<?> set, int depth) {
        checkDepth(depth);
        int index = 0;
        for (Object item : set) {
            try {
                requireHashable(item, "set element");
                write(item, depth + 1);
            } catch (Refusal refusal) {
                throw refusal.under("{#" + index + "}");
            }
            index++;
        }
    }

    private void writeMap(Map<?, ?> map, int depth) {
        checkDepth(depth);
        op(Format.NEWDICT);
        int index = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object key = entry.getKey();
            try {
                requireHashable(key, "dictionary key");
                write(key, depth + 1);
            } catch (Refusal refusal) {
                throw refusal.under("{key #" + index + "}");
            }
            try {
                write(entry.getValue(), depth + 1);
            } catch (Refusal refusal) {
                throw refusal.under("[" + describeKey(key) + "]");
            }
            op(Format.SETITEM);
            index++;
        }
    }

    /**
     * Encodes UTF-8 straight into the buffer and fills in the length afterwards: one pass, no
     * intermediate array. Java's own encoder would turn a lone surrogate into '?'; Python refuses such a
     * string, and so do we.
     */
    private void writeString(String text) {
        int length = text.length();
        ensure(5 + 3 * length);
        int start = pos;
        int at = start + 5;
        byte[] out = buf;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3f);
            } else if (!Character.isSurrogate(c)) {
                out[at++] = (byte) (0xe0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[at++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out[at++] = (byte) (0xf0 | cp >> 18);
                out[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
                out[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
                out[at++] = (byte) (0x80 | cp & 0x3f);
            } else {
                throw new Refusal(String.format(
                        "string holds a lone surrogate U+%04X at index %d; strings must be UTF-8 encodable", (int) c, i));
            }
        }
        out[start] = Format.STRING;
        INT32.set(out, start + 1, at - start - 5);
        pos = at;
    }

    private void writeBytes(byte[] bytes) {
        opInt(Format.BYTES, bytes.length);
        putRaw(bytes);
    }

    private void writeLong(long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            opInt(Format.INT, (int) value);
        } else {
            writeDecimal(Long.toString(value));
        }
    }

    private void writeBigInteger(BigInteger value) {
        if (value.compareTo(INT32_MIN) >= 0 && value.compareTo(INT32_MAX) <= 0) {
            opInt(Format.INT, value.intValue());
            return;
        }
        // A decimal digit carries log2(10) bits: refuse before formatting a number of millions of digits.
        if (value.bitLength() > Format.MAX_INT_DIGITS * 3.33) {
            throw tooManyDigits();
        }
        writeDecimal(value.toString());
    }

    private void writeDecimal(String decimal) {
        int digits = decimal.length() - (decimal.charAt(0) == '-' ? 1 : 0);
        if (digits > Format.MAX_INT_DIGITS) {
            throw tooManyDigits();
        }
        opInt(Format.LONGINT, decimal.length());
        ensure(decimal.length());
        for (int i = 0; i < decimal.length(); i++) {
            buf[pos++] = (byte) decimal.charAt(i);
        }
    }

    private static Refusal tooManyDigits() {
        return new Refusal("integer has more than " + Format.MAX_INT_DIGITS
                + " decimal digits, which Python refuses to read (its int_max_str_digits limit)");
    }

    private void writeDouble(double value) {
        ensure(9);
        buf[pos++] = Format.FLOAT;
        putDouble(value);
    }

    private void writeChannelOrRefuse(Object value) {
        int id = channels == null ? -1 : channels.idOf(value);
        if (id >= 0) {
            opInt(Format.CHANNEL, id);
            return;
        }
        throw new Refusal("cannot serialize " + value.getClass().getName() + " (" + hint(value) + ")");
    }

    private static String hint(Object value) {
        Class<?> type = value.getClass();
        if (type.isArray()) {
            return "of arrays only byte[] has an execnet form; send other arrays as a List";
        }
        if (value instanceof org.jexecnet.Channel) {
            return "a channel can only be sent on a channel of its own gateway";
        }
        if (value instanceof Character) {
            return "send a char as a one-character String";
        }
        return "execnet's format holds null, Boolean, Integer, Long, Short, Byte, BigInteger, Double, Float,"
                + " Complex, byte[], String, List, Tuple, Map, Set, FrozenSet, records, enums and channels";
    }

    private static void requireHashable(Object value, String role) {
        String why = unhashable(value, 0);
        if (why != null) {
            throw new Refusal("a " + role + " must be hashable in Python, but " + why
                    + " is not; use a Tuple instead of a List, a FrozenSet instead of a Set");
        }
    }

    /** Why Python cannot hash {@code value}, or null when it can. */
    private static String unhashable(Object value, int depth) {
        if (value instanceof Tuple tuple) {
            if (depth < Format.MAX_DEPTH) {
                for (Object item : tuple) {
                    String why = unhashable(item, depth + 1);
                    if (why != null) {
                        return "a tuple holding " + why;
                    }
                }
            }
            return null;
        }
        if (value instanceof List) {
            return "a List (Python list)";
        }
        if (value instanceof Map) {
            return "a Map (Python dict)";
        }
        if (value != null && value.getClass().isRecord() && !(value instanceof Complex)) {
            return "a record (sent as a Python dict)";
        }
        if (value instanceof Set && !(value instanceof FrozenSet)) {
            return "a Set (Python set)";
        }
        return null;
    }

    private static String describeKey(Object key) {
        if (key instanceof String text) {
            return '"' + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + '"';
        }
        String text = String.valueOf(key);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static void checkDepth(int depth) {
        if (depth >= Format.MAX_DEPTH) {
            throw new Refusal("containers nest deeper than " + Format.MAX_DEPTH + " levels (is the value cyclic?)");
        }
    }

    private void op(byte opcode) {
        ensure(1);
        buf[pos++] = opcode;
    }

    private void opInt(byte opcode, int value) {
        ensure(5);
        buf[pos] = opcode;
        INT32.set(buf, pos + 1, value);
        pos += 5;
    }

    private void putDouble(double value) {
        // Raw bits, as Python writes them: a NaN keeps its sign and payload.
        INT64.set(buf, pos, Double.doubleToRawLongBits(value));
        pos += 8;
    }

    private void putRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void ensure(int bytes) {
        if (buf.length - pos < bytes) {
            // One byte to spare, for the STOP that ends every value: a buffer grown to fit a large last
            // item then ends exact, and is returned without a copy.
            long needed = (long) pos + bytes + 1;
            if (needed > MAX_ARRAY) {
                throw new Refusal("the serialized value would exceed 2 GiB, the most one array can hold");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_ARRAY, Math.max(needed, 2L * buf.length)));
        }
    }

    /** A value that cannot be written, with the path to it collected on the way up. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ValuePath path = new ValuePath();

        Refusal(String reason) {
            super(reason, null, false, false);
        }

        Refusal under(String segment) {
            path.addOuter(segment);
            return this;
        }

        String path() {
            return path.toString();
        }
    }
}
