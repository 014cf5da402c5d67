package org.jexecnet.internal.serial;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jexecnet.LoadException;

/**
 * Reads exactly one value in the public form (version byte, opcodes, {@code STOP}) from a stream,
 * and not one byte more: execnet's {@code load(file)}, which leaves the rest of the file to the next
 * reader.
 *
 * <p>A value's end cannot be found by looking for a {@code Q} byte, which may sit inside a string or a
 * number. So this walks the opcodes as the {@link Loader} does, one at a time: each opcode says how
 * many bytes follow it (none, a fixed width, or a length field and that many bytes), and those are all
 * it reads; at the top-level {@code STOP} it stops. No read is larger than what the opcode announced,
 * so the stream is never read ahead. The bytes go to the {@link Loader}, which checks the rest (the
 * stack, types, UTF-8).
 *
 * <p>Hostile input is treated as the Loader treats it: a length is never trusted with an allocation,
 * the buffer grows only as bytes actually arrive (in chunks of at most {@link #CHUNK}), and a value
 * that would exceed the largest array is refused. Errors name the byte offset from the value's start.
 */
public final class ValueReader {
    private ValueReader() {}

    /** The most bytes read, or allocated ahead of arrival, at once. */
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_VALUE_BYTES = Integer.MAX_VALUE - 16;

    private byte[] buf = new byte[256];
    private int size;

    /**
     * Reads the bytes of one value, version byte included.
     *
     * @param in the stream, left just after the value's {@code STOP}
     * @return the value's bytes, for {@link Loader#loads}
     * @throws EOFException when the stream ends before the value's first byte
     * @throws LoadException when the bytes cannot be a value (an unknown version or opcode, a negative
     *     length, the stream ending inside the value, a value beyond 2 GiB), with the offset
     * @throws IOException when reading fails
     */
    public static byte[] readOne(InputStream in) throws IOException {
        return new ValueReader().read(in);
    }

    private byte[] read(InputStream in) throws IOException {
        int version = in.read();
        if (version < 0) {
            throw new EOFException("no value to load: the stream is at its end");
        }
        append((byte) version);
        if (version != Format.VERSION_1 && version != Format.VERSION_2) {
            throw new LoadException(0, String.format(
                    "unknown dump format version 0x%02x: execnet 1.x writes 0x01, execnet 2.x writes 0x02", version));
        }
        while (true) {
            int at = size;
            byte opcode = (byte) next(in, at, "an opcode");
            switch (opcode) {
                case Format.STOP -> {
                    return Arrays.copyOf(buf, size);
                }
                case Format.FALSE, Format.TRUE, Format.NONE, Format.NEWDICT, Format.SETITEM -> {
                    // no operand
                }
                case Format.INT, Format.PY2_LONG, Format.CHANNEL, Format.NEWLIST, Format.BUILDTUPLE, Format.SET,
                        Format.FROZENSET -> copy(in, 4, at);
                case Format.FLOAT -> copy(in, 8, at);
                case Format.COMPLEX -> copy(in, 16, at);
                case Format.BYTES, Format.STRING, Format.PY2_STRING, Format.PY2_UNICODE, Format.LONGINT,
                        Format.PY2_LONGLONG -> {
                    copy(in, 4, at);
                    int length = (buf[size - 4] & 0xff) << 24 | (buf[size - 3] & 0xff) << 16 | (buf[size - 2] & 0xff) << 8
                            | (buf[size - 1] & 0xff);
                    if (length < 0) {
                        throw new LoadException(at, "negative length " + length);
                    }
                    copy(in, length, at);
                }
                default -> throw new LoadException(at, String.format(
                        "unknown opcode 0x%02x - wire protocol corruption?", opcode & 0xff));
            }
        }
    }

    /** One byte, which must be there: the stream ending here ends inside the value. */
    private int next(InputStream in, int at, String what) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw truncated(at, what);
        }
        append((byte) b);
        return b;
    }

    /** Reads exactly {@code count} bytes of the opcode at {@code at}, a chunk at a time. */
    private void copy(InputStream in, int count, int at) throws IOException {
        int left = count;
        while (left > 0) {
            int chunk = Math.min(left, CHUNK);
            ensure(chunk, at);
            int got = in.readNBytes(buf, size, chunk);
            size += got;
            if (got < chunk) {
                throw truncated(at, count + " bytes of the opcode " + describe(buf[at]));
            }
            left -= chunk;
        }
    }

    private void append(byte b) {
        ensure(1, size);
        buf[size++] = b;
    }

    /** Room for {@code more} bytes that are about to be read: at most twice what has arrived so far. */
    private void ensure(int more, int at) {
        if ((long) size + more > MAX_VALUE_BYTES) {
            throw new LoadException(at, "the value exceeds 2 GiB, the most one array can hold");
        }
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_VALUE_BYTES, Math.max((long) size + more, 2L * buf.length)));
        }
    }

    private LoadException truncated(int at, String what) {
        return new LoadException(at, "truncated: the stream ends before " + what + " (" + size
                + " bytes of the value read, no STOP opcode 'Q' yet)");
    }

    private static String describe(byte opcode) {
        return String.format("'%c'", (char) opcode);
    }
}
