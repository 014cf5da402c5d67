package org.jexecnet.internal.serial;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jexecnet.Complex;
import org.jexecnet.FrozenSet;
import org.jexecnet.LoadException;
import org.jexecnet.Tuple;

/**
 * Reads execnet's serialized form: runs the opcodes on a stack until {@code STOP}.
 *
 * <p>The input is hostile until proven otherwise. No length prefix is trusted beyond the bytes that
 * remain, so nothing larger than the input is ever allocated; the machine runs in a loop, never by
 * recursion; nesting depth is bounded; each failure is a {@link LoadException} naming the byte
 * offset and the reason.
 *
 * <p>Beside each stack slot, {@code meta} records the nesting depth of the value and whether Python
 * could hash it, so that neither needs a walk over the value. An int is kept unboxed in {@code ints}
 * until something takes it as a value: the index before each list element never becomes an object.
 */
public final class Loader {
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int UNHASHABLE = 1;
    /** In a stack slot: the value is the int in {@code ints} at the same slot. */
    private static final Object UNBOXED = new Object();
    private static final int DEPTH_UNIT = 2;

    private final byte[] buf;
    /** Where offsets in error messages count from. */
    private final int base;
    private final int end;
    private final StringCoercion strings;
    private final ChannelRefs channels;
    private int pos;
    private Object[] stack = new Object[16];
    private int[] meta = new int[16];
    private int[] ints = new int[16];
    private int sp;

    private Loader(byte[] buf, int base, int offset, int length, StringCoercion strings, ChannelRefs channels) {
        this.buf = buf;
        this.base = base;
        this.pos = offset;
        this.end = offset + length;
        this.strings = strings;
        this.channels = channels;
    }

    /**
     * Reads the public form: a version byte (execnet 1.x's or 2.x's), the value, {@code STOP}.
     *
     * @param data the bytes, all of which must belong to the value
     * @param strings how strings load
     * @return the value
     * @throws LoadException when the bytes are not a valid value
     */
    public static Object loads(byte[] data, StringCoercion strings) {
        if (data.length == 0) {
            throw new LoadException(0, "empty input: the dump format version byte is missing");
        }
        int version = data[0];
        if (version != Format.VERSION_1 && version != Format.VERSION_2) {
            throw new LoadException(0, String.format(
                    "unknown dump format version 0x%02x: execnet 1.x writes 0x01, execnet 2.x writes 0x02", version & 0xff));
        }
        return new Loader(data, 0, 1, data.length - 1, strings, null).run();
    }

    /**
     * Reads the message-payload form: the value and {@code STOP}, no version byte.
     *
     * @param data the buffer
     * @param offset where the payload starts
     * @param length the payload's length; all of it must belong to the value
     * @param strings how strings load
     * @param channels the gateway's channels, or {@code null} where channels cannot be received
     * @return the value
     * @throws LoadException when the bytes are not a valid value; offsets count from {@code offset}
     */
    public static Object loadPayload(byte[] data, int offset, int length, StringCoercion strings, ChannelRefs channels) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return new Loader(data, offset, offset, length, strings, channels).run();
    }

    private Object run() {
        while (pos < end) {
            int at = pos++;
            byte opcode = buf[at];
            switch (opcode) {
                case Format.INT, Format.PY2_LONG -> pushInt(readInt());
                case Format.SETITEM -> setItem(at);
                case Format.STRING -> {
                    int length = readLength(at);
                    push(strings.py3strAsPy2str() ? readRaw(length) : readUtf8(length, at), 0);
                }
                case Format.NEWLIST -> newList(at);
                case Format.NEWDICT -> push(new LinkedHashMap<>(), DEPTH_UNIT | UNHASHABLE);
                case Format.NONE -> push(null, 0);
                case Format.TRUE -> push(Boolean.TRUE, 0);
                case Format.FALSE -> push(Boolean.FALSE, 0);
                case Format.FLOAT -> push(Double.longBitsToDouble(readLong()), 0);
                case Format.BYTES -> push(readRaw(readLength(at)), 0);
                case Format.BUILDTUPLE -> buildTuple(at);
                case Format.SET -> buildSet(at, false);
                case Format.FROZENSET -> buildSet(at, true);
                case Format.LONGINT, Format.PY2_LONGLONG -> push(readDecimal(at), 0);
                case Format.COMPLEX -> {
                    double real = Double.longBitsToDouble(readLong());
                    push(new Complex(real, Double.longBitsToDouble(readLong())), 0);
                }
                case Format.PY2_STRING -> {
                    byte[] raw = readRaw(readLength(at));
                    push(strings.py2strAsPy3str() ? new String(raw, StandardCharsets.ISO_8859_1) : raw, 0);
                }
                case Format.PY2_UNICODE -> push(readUtf8(readLength(at), at), 0);
                case Format.CHANNEL -> push(readChannel(at), 0);
                case Format.STOP -> {
                    return stop(at);
                }
                default -> throw error(at, String.format(
                        "unknown opcode %s - wire protocol corruption?", describe(opcode)));
            }
        }
        throw error(end, "truncated: the data ends before the STOP opcode 'Q'");
    }

    private Object stop(int at) {
        if (sp != 1) {
            throw error(at, "STOP with " + sp + " values on the stack instead of exactly one");
        }
        if (pos != end) {
            throw error(pos, (end - pos) + (end - pos == 1 ? " byte follows" : " bytes follow") + " the STOP opcode that ends the value");
        }
        return value(0);
    }

    private void push(Object value, int info) {
        if (sp == stack.length) {
            grow();
        }
        stack[sp] = value;
        meta[sp] = info;
        sp++;
    }

    private void pushInt(int value) {
        if (sp == stack.length) {
            grow();
        }
        stack[sp] = UNBOXED;
        ints[sp] = value;
        meta[sp] = 0;
        sp++;
    }

    private void grow() {
        // The stack can only hold what the input pushed, one byte or more each: growth is bounded.
        stack = Arrays.copyOf(stack, sp * 2);
        meta = Arrays.copyOf(meta, sp * 2);
        ints = Arrays.copyOf(ints, sp * 2);
    }

    /** The value in a stack slot, boxed now if it was an int. */
    private Object value(int slot) {
        Object value = stack[slot];
        return value == UNBOXED ? Integer.valueOf(ints[slot]) : value;
    }

    private void newList(int at) {
        int size = readInt();
        if (size < 0) {
            throw error(at, "list of negative size " + size);
        }
        if (size > end - pos) {
            throw error(at, "list of " + size + " items cannot fit in the " + (end - pos) + " bytes that remain");
        }
        // Python's [None] * size; filled here rather than from Collections.nCopies, which would copy.
        ArrayList<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(null);
        }
        push(list, DEPTH_UNIT | UNHASHABLE);
    }

    @SuppressWarnings("unchecked")
    private void setItem(int at) {
        if (sp < 3) {
            throw error(at, "not enough items for setitem: it needs a container, a key and a value, but the stack holds " + sp);
        }
        Object value = value(--sp);
        int valueMeta = meta[sp];
        int keySlot = --sp;
        int keyMeta = meta[sp];
        Object container = stack[sp - 1];
        if (container instanceof ArrayList<?> list) {
            if (stack[keySlot] != UNBOXED) {
                throw error(at, "setitem on a list needs an int index, not " + typeName(stack[keySlot]));
            }
            int index = ints[keySlot];
            if (index < 0 || index >= list.size()) {
                throw error(at, "list index " + index + " out of range for a list of " + list.size());
            }
            ((List<Object>) list).set(index, value);
        } else if (container instanceof LinkedHashMap<?, ?> map) {
            Object key = value(keySlot);
            if ((keyMeta & UNHASHABLE) != 0) {
                throw error(at, "unhashable dictionary key: " + unhashableName(key));
            }
            ((Map<Object, Object>) map).put(key, value);
        } else {
            throw error(at, "setitem target is " + typeName(value(sp - 1)) + ", not a list or dict");
        }
        int depth = Math.max(valueMeta, keyMeta) / DEPTH_UNIT + 1;
        nest(at, sp - 1, depth);
    }

    private void buildTuple(int at) {
        int count = readCount(at, "tuple");
        Object[] items = new Object[count];
        for (int i = 0; i < count; i++) {
            items[i] = value(sp - count + i);
        }
        int info = combine(at, count);
        sp -= count;
        Arrays.fill(stack, sp, sp + count, null);
        push(Tuple.of(items), info);
    }

    private void buildSet(int at, boolean frozen) {
        String kind = frozen ? "frozenset" : "set";
        int count = readCount(at, kind);
        Set<Object> set = new LinkedHashSet<>(Math.max(4, count * 4 / 3 + 1));
        for (int i = sp - count; i < sp; i++) {
            if ((meta[i] & UNHASHABLE) != 0) {
                throw error(at, "unhashable " + kind + " element: " + unhashableName(stack[i]));
            }
            set.add(value(i));
        }
        int depth = (combine(at, count) & ~UNHASHABLE);
        sp -= count;
        Arrays.fill(stack, sp, sp + count, null);
        push(frozen ? FrozenSet.copyOf(set) : set, frozen ? depth : depth | UNHASHABLE);
    }

    private int readCount(int at, String kind) {
        int count = readInt();
        if (count < 0) {
            throw error(at, kind + " of negative size " + count);
        }
        if (count > sp) {
            throw error(at, kind + " of " + count + " items, but the stack holds only " + sp);
        }
        return count;
    }

    /** The meta of a container made of the top {@code count} stack items: depth + 1, hashable if all are. */
    private int combine(int at, int count) {
        int deepest = 0;
        int unhashable = 0;
        for (int i = sp - count; i < sp; i++) {
            deepest = Math.max(deepest, meta[i] / DEPTH_UNIT);
            unhashable |= meta[i] & UNHASHABLE;
        }
        int depth = deepest + 1;
        if (depth > Format.MAX_DEPTH) {
            throw tooDeep(at);
        }
        return depth * DEPTH_UNIT | unhashable;
    }

    private void nest(int at, int slot, int depth) {
        if (depth > Format.MAX_DEPTH) {
            throw tooDeep(at);
        }
        if (depth > meta[slot] / DEPTH_UNIT) {
            meta[slot] = depth * DEPTH_UNIT | (meta[slot] & UNHASHABLE);
        }
    }

    private LoadException tooDeep(int at) {
        return error(at, "containers nest deeper than " + Format.MAX_DEPTH + " levels");
    }

    private Object readChannel(int at) {
        int id = readInt();
        if (channels == null) {
            throw error(at, "channel reference (opcode 'B', id " + id + ") outside a gateway: "
                    + "only a gateway's channels can receive channels");
        }
        try {
            return channels.channel(id);
        } catch (IllegalArgumentException e) {
            throw error(at, e.getMessage());
        }
    }

    private Object readDecimal(int at) {
        int length = readLength(at);
        int first = pos;
        pos += length;
        int digitsFrom = first < pos && (buf[first] == '-' || buf[first] == '+') ? first + 1 : first;
        int digits = pos - digitsFrom;
        if (digits == 0) {
            throw error(at, "big integer without digits");
        }
        if (digits > Format.MAX_INT_DIGITS) {
            throw error(at, "big integer of " + digits + " digits exceeds Python's limit of " + Format.MAX_INT_DIGITS);
        }
        for (int i = digitsFrom; i < pos; i++) {
            if (buf[i] < '0' || buf[i] > '9') {
                throw error(i, String.format("big integer text holds %s, not a decimal digit", describe(buf[i])));
            }
        }
        String text = new String(buf, first, length, StandardCharsets.ISO_8859_1);
        if (digits <= 18) {
            return narrow(Long.parseLong(text));
        }
        BigInteger big = new BigInteger(text);
        return big.bitLength() <= 63 ? narrow(big.longValue()) : big;
    }

    private static Object narrow(long value) {
        return value == (int) value ? (Object) (int) value : (Object) value;
    }

    private String readUtf8(int length, int at) {
        String text = new String(buf, pos, length, StandardCharsets.UTF_8);
        // The fast decoder replaces malformed input with U+FFFD. Only then is a strict check needed, to
        // tell a genuine U+FFFD from a replacement.
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(buf, pos, length));
            } catch (CharacterCodingException e) {
                throw error(at, "string of " + length + " bytes is not valid UTF-8");
            }
        }
        pos += length;
        return text;
    }

    private byte[] readRaw(int length) {
        byte[] bytes = Arrays.copyOfRange(buf, pos, pos + length);
        pos += length;
        return bytes;
    }

    /** A length field, checked against the bytes that remain before anything is allocated. */
    private int readLength(int at) {
        int length = readInt();
        if (length < 0) {
            throw error(at, "negative length " + length);
        }
        if (length > end - pos) {
            throw error(at, "length " + length + " exceeds the " + (end - pos) + " bytes that remain");
        }
        return length;
    }

    private int readInt() {
        if (end - pos < 4) {
            throw error(pos, "truncated: a 4-byte integer needs 4 bytes, " + (end - pos) + " remain");
        }
        int value = (int) INT32.get(buf, pos);
        pos += 4;
        return value;
    }

    private long readLong() {
        if (end - pos < 8) {
            throw error(pos, "truncated: an 8-byte float needs 8 bytes, " + (end - pos) + " remain");
        }
        long value = (long) INT64.get(buf, pos);
        pos += 8;
        return value;
    }

    private LoadException error(int at, String reason) {
        return new LoadException(at - base, reason);
    }

    private static String describe(byte b) {
        return b >= 0x20 && b < 0x7f ? String.format("'%c' (0x%02x)", (char) b, b) : String.format("0x%02x", b & 0xff);
    }

    private static String unhashableName(Object value) {
        return value instanceof Tuple ? "a tuple holding a list, dict or set" : typeName(value);
    }

    private static String typeName(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Tuple) {
            return "a tuple";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a dict";
        }
        if (value instanceof Set) {
            return "a set";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
