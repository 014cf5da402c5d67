package org.jexecnet.internal.protocol;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads frames from a stream, through a buffer large enough that a burst of small frames costs one
 * system call. A length prefix is trusted only up to {@link #TRUSTED_LENGTH}: a larger payload
 * buffer grows only as bytes actually arrive, so a corrupt or hostile header ends in an exception,
 * not an OutOfMemoryError.
 */
public final class FrameReader {
    /** Payloads up to this size are read into one array of the announced size. */
    private static final int TRUSTED_LENGTH = 8 << 20;
    /** Payloads from this size on are worth reading a bytes value out of directly. */
    private static final int BULK_MIN = 64 * 1024;

    private final InputStream in;
    private final byte[] header = new byte[9];
    /**
     * When the read that is blocked now began ({@link System#nanoTime()}), or 0 while the receiver is
     * not waiting in a read: what liveness watches. A receiver busy elsewhere (a slow callback, a
     * large item to load) is not waiting for its peer, so its peer is not silent.
     */
    private volatile long readingSince;

    public FrameReader(InputStream in) {
        // Every read that returns is a sign of life, also in the middle of a large frame.
        this.in = new BufferedInputStream(new java.io.FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                readingSince = System.nanoTime();
                try {
                    return super.read(b, off, len);
                } finally {
                    readingSince = 0;
                }
            }
        }, 64 * 1024);
    }

    /** How long the current read has waited, or 0 when none waits. */
    long readingFor() {
        long since = readingSince;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    /**
     * Reads the next frame.
     *
     * @return the frame, or null at a clean end of the stream (between frames)
     * @throws EOFException when the stream ends inside a frame
     * @throws ProtocolException when the header is not a valid execnet header
     */
    public Frame read() throws IOException {
        int got = in.readNBytes(header, 0, 9);
        if (got == 0) {
            return null;
        }
        if (got < 9) {
            throw new EOFException("couldn't load message header, expected 9 bytes, got " + got);
        }
        int code = header[0];
        int channelId = (header[1] & 0xff) << 24 | (header[2] & 0xff) << 16 | (header[3] & 0xff) << 8 | (header[4] & 0xff);
        int length = (header[5] & 0xff) << 24 | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8 | (header[8] & 0xff);
        if (code < Frame.STATUS || code > Frame.CHANNEL_CREDIT) {
            throw new ProtocolException("unknown message code " + code + " (channel " + channelId + ", length " + length
                    + ") - wire protocol corruption?");
        }
        if (length < 0) {
            throw new ProtocolException("negative payload length " + length + " in a " + Frame.name(code) + " header");
        }
        if (code == Frame.CHANNEL_DATA && length >= BULK_MIN) {
            return readBulk(channelId, length);
        }
        return new Frame(code, channelId, length == 0 ? Frame.EMPTY : readPayload(length), null);
    }

    /**
     * A large CHANNEL_DATA is nearly always one bytes value: {@code A}, its length, the bytes, {@code Q}.
     * Those bytes are read into an array of their own, which the channel hands out as it is, instead
     * of into a payload that the serializer would copy them out of again.
     */
    private Frame readBulk(int channelId, int length) throws IOException {
        byte[] head = new byte[5];
        if (in.readNBytes(head, 0, 5) < 5) {
            throw new EOFException("expected " + length + " payload bytes, got fewer than 5");
        }
        int inner = (head[1] & 0xff) << 24 | (head[2] & 0xff) << 16 | (head[3] & 0xff) << 8 | (head[4] & 0xff);
        if (head[0] == 'A' && inner == length - 6) {
            byte[] bulk = readPayload(inner);
            if (in.read() != 'Q') {
                throw new ProtocolException("a bytes payload of " + inner + " bytes does not end with the STOP opcode 'Q'");
            }
            return new Frame(Frame.CHANNEL_DATA, channelId, null, bulk);
        }
        byte[] rest = readPayload(length - 5);
        byte[] payload = new byte[length];
        System.arraycopy(head, 0, payload, 0, 5);
        System.arraycopy(rest, 0, payload, 5, rest.length);
        return new Frame(Frame.CHANNEL_DATA, channelId, payload, null);
    }

    private byte[] readPayload(int length) throws IOException {
        byte[] payload = new byte[Math.min(length, TRUSTED_LENGTH)];
        int filled = 0;
        while (true) {
            int n = in.read(payload, filled, payload.length - filled);
            if (n < 0) {
                throw new EOFException("expected " + length + " payload bytes, got " + filled);
            }
            filled += n;
            if (filled == length) {
                return payload;
            }
            if (filled == payload.length) {
                payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
            }
        }
    }
}
