package org.jexecnet.internal.protocol;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames, each one whole, from any number of threads. Frames written while other writers wait
 * are coalesced: only the last writer of a burst flushes, so a burst of small messages costs one
 * system call instead of one each.
 */
public final class FrameWriter {
    private final ReentrantLock lock = new ReentrantLock();
    private final OutputStream out;
    private final byte[] header = new byte[9];

    public FrameWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
    }

    public void write(int code, int channelId, byte[] payload) throws IOException {
        // lock(), not lockInterruptibly(): a writer that saw others queued relies on them to flush.
        lock.lock();
        try {
            header[0] = (byte) code;
            putInt(1, channelId);
            putInt(5, payload.length);
            out.write(header);
            out.write(payload);
            if (!lock.hasQueuedThreads()) {
                out.flush();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the stream, so that the peer reads end-of-file. */
    public void close() throws IOException {
        lock.lock();
        try {
            out.close();
        } finally {
            lock.unlock();
        }
    }

    private void putInt(int at, int value) {
        header[at] = (byte) (value >>> 24);
        header[at + 1] = (byte) (value >>> 16);
        header[at + 2] = (byte) (value >>> 8);
        header[at + 3] = (byte) value;
    }
}
