package org.jexecnet.internal.protocol;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads frames from a stream, through a buffer large enough that a burst of small frames costs one
 * system call. Every byte is the peer's, and the peer may be hostile:
 *
 * <ul>
 *   <li>A frame the caller does not want (one for a channel that was never opened) is skipped through a
 *       small reused buffer: it allocates nothing, and {@link #skipped} counts it.
 *   <li>A frame longer than this JVM can hold ({@link #maxFrame}: half its maximum heap) is refused at its
 *       header, before anything is allocated for it, with a message that says how to make room.
 *   <li>A length is believed only as its bytes arrive: up to {@link #TRUSTED_LENGTH} the payload is one
 *       array of the announced size; beyond, the first quarter is gathered in chunks as it comes, and only
 *       then is the whole array made. A frame so costs at most 1.25 times itself, and a peer that announces
 *       much and sends little makes us hold at most four times what it sent.
 * </ul>
 *
 * <p>One thread reads (the connection's receiver); {@link #readingFor} and {@link #bytesRead} may be
 * asked from any.
 */
public final class FrameReader {
    /** Payloads up to this size are read into one array of the announced size. */
    private static final int TRUSTED_LENGTH = 8 << 20;
    /** Payloads from this size on are worth reading a bytes value out of directly. */
    private static final int BULK_MIN = 64 * 1024;
    /** The longest array a JVM makes, a few bytes short of {@code Integer.MAX_VALUE}. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final long NOT_READING = Long.MIN_VALUE;

    /** Which frames to read; the others are skipped without allocating. */
    @FunctionalInterface
    public interface Wanted {
        boolean wanted(int code, int channelId);
    }

    private final InputStream in;
    private final TaskRunner.Clock clock;
    private final long maxFrame;
    private final byte[] header = new byte[9];
    private final byte[] bulkHead = new byte[5];
    /** Where skipped payloads go; made on the first skip. */
    private byte[] scratch;
    /**
     * When the read that blocks now began, by the clock, or {@link #NOT_READING}: what liveness watches.
     * A receiver busy elsewhere (a large item to load) is not waiting for its peer, so its peer is not
     * silent.
     */
    private volatile long readingSince = NOT_READING;
    private volatile long bytesRead;
    private volatile long skipped;

    /** A reader for tests and tools: the system clock, frames up to half this JVM's heap. */
    public FrameReader(InputStream in) {
        this(in, System::nanoTime, defaultMaxFrame());
    }

    FrameReader(InputStream in, TaskRunner.Clock clock, long maxFrame) {
        this.clock = clock;
        this.maxFrame = maxFrame;
        // Every read that returns is a sign of life, also in the middle of a large frame.
        this.in = new BufferedInputStream(new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                readingSince = FrameReader.this.clock.nanoTime();
                try {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        bytesRead += n; // this thread alone writes it
                    }
                    return n;
                } finally {
                    readingSince = NOT_READING;
                }
            }
        }, 64 * 1024);
    }

    /** Half the maximum heap: a frame and what it is loaded into must both fit. */
    static long defaultMaxFrame() {
        return Math.min(MAX_ARRAY, Runtime.getRuntime().maxMemory() / 2);
    }

    /** How long the current read has waited by the clock, or 0 when none waits. */
    long readingFor(long now) {
        long since = readingSince;
        return since == NOT_READING ? 0 : now - since;
    }

    /** Bytes read from the stream so far: what the heartbeat tells the peer it has taken. */
    long bytesRead() {
        return bytesRead;
    }

    /** Frames skipped because they were not wanted. */
    long skipped() {
        return skipped;
    }

    /** As {@link #read(Wanted)}, wanting every frame. */
    public Frame read() throws IOException {
        return read((code, channelId) -> true);
    }

    /**
     * Reads the next frame that {@code wanted} accepts, skipping the others.
     *
     * @return the frame, or null at a clean end of the stream (between frames)
     * @throws EOFException when the stream ends inside a frame
     * @throws ProtocolException when a header is not a valid execnet header, or announces more than this
     *     JVM can hold
     */
    public Frame read(Wanted wanted) throws IOException {
        while (true) {
            int got = in.readNBytes(header, 0, 9);
            if (got == 0) {
                return null;
            }
            if (got < 9) {
                throw new EOFException("couldn't load message header, expected 9 bytes, got " + got);
            }
            int code = header[0];
            int channelId = intAt(header, 1);
            int length = intAt(header, 5);
            if (code < Frame.STATUS || code > Frame.CHANNEL_CREDIT) {
                throw new ProtocolException("unknown message code " + code + " (channel " + channelId + ", length " + length
                        + ") - wire protocol corruption?");
            }
            if (length < 0) {
                throw new ProtocolException("negative payload length " + length + " in a " + Frame.name(code) + " header");
            }
            if (!wanted.wanted(code, channelId)) {
                skip(length);
                skipped++; // this thread alone writes it
                continue;
            }
            if (code == Frame.CHANNEL_DATA && length >= BULK_MIN) {
                return readBulk(channelId, length);
            }
            return new Frame(code, channelId, length == 0 ? Frame.EMPTY : readPayload(code, channelId, length, null), null);
        }
    }

    private static int intAt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | (bytes[at + 3] & 0xff);
    }

    private void skip(int length) throws IOException {
        if (scratch == null) {
            scratch = new byte[8192];
        }
        for (int left = length; left > 0; ) {
            int n = in.read(scratch, 0, Math.min(left, scratch.length));
            if (n < 0) {
                throw new EOFException("expected " + length + " payload bytes, got " + (length - left));
            }
            left -= n;
        }
    }

    /**
     * A large CHANNEL_DATA is nearly always one bytes value: {@code A}, its length, the bytes, {@code Q}.
     * Those bytes are read into an array of their own, which the channel hands out as it is, instead
     * of into a payload that the serializer would copy them out of again.
     */
    private Frame readBulk(int channelId, int length) throws IOException {
        if (in.readNBytes(bulkHead, 0, 5) < 5) {
            throw new EOFException("expected " + length + " payload bytes, got fewer than 5");
        }
        int inner = intAt(bulkHead, 1);
        if (bulkHead[0] == 'A' && inner == length - 6) {
            byte[] bulk = readPayload(Frame.CHANNEL_DATA, channelId, inner, null);
            if (in.read() != 'Q') {
                throw new ProtocolException("a bytes payload of " + inner + " bytes does not end with the STOP opcode 'Q'");
            }
            return new Frame(Frame.CHANNEL_DATA, channelId, null, bulk);
        }
        return new Frame(Frame.CHANNEL_DATA, channelId, readPayload(Frame.CHANNEL_DATA, channelId, length, bulkHead), null);
    }

    /**
     * Reads a payload of {@code length} bytes whose first bytes, {@code head}, were read already (or null).
     *
     * @throws ProtocolException when this JVM cannot hold it: nothing is allocated then
     */
    private byte[] readPayload(int code, int channelId, int length, byte[] head) throws IOException {
        if (length > maxFrame) {
            throw new ProtocolException("a " + Frame.name(code) + " of " + length + " bytes on channel " + channelId
                    + " is more than this JVM can take: a frame may hold at most " + maxFrame + " bytes, half its maximum heap of "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; give this side more heap (-Xmx, jvmargs= for a"
                    + " worker) or send smaller items");
        }
        int filled = head == null ? 0 : head.length;
        if (length <= TRUSTED_LENGTH) {
            byte[] payload = new byte[length];
            if (head != null) {
                System.arraycopy(head, 0, payload, 0, filled);
            }
            readFully(payload, filled, length);
            return payload;
        }
        List<byte[]> chunks = new ArrayList<>();
        if (head != null) {
            chunks.add(head.clone());
        }
        for (int quarter = length / 4; filled < quarter; ) {
            byte[] chunk = new byte[Math.min(TRUSTED_LENGTH, quarter - filled)];
            readFully(chunk, 0, chunk.length, filled, length);
            chunks.add(chunk);
            filled += chunk.length;
        }
        byte[] payload = new byte[length];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, payload, at, chunk.length);
            at += chunk.length;
        }
        chunks.clear();
        readFully(payload, filled, length);
        return payload;
    }

    /** Fills {@code into} from {@code from} to {@code length}, the whole payload's length. */
    private void readFully(byte[] into, int from, int length) throws IOException {
        readFully(into, from, length - from, from, length);
    }

    private void readFully(byte[] into, int from, int count, int before, int payloadLength) throws IOException {
        for (int done = 0; done < count; ) {
            int n = in.read(into, from + done, count - done);
            if (n < 0) {
                throw new EOFException("expected " + payloadLength + " payload bytes, got " + (before + done));
            }
            done += n;
        }
    }
}
