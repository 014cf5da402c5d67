package org.jexecnet.internal.protocol;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames, each one whole, from any number of threads.
 *
 * <p>A frame is written and flushed at once while the conversation goes back and forth: a round trip
 * pays for no batching. When frames follow each other closely with nothing received in between (a
 * sender in a loop), they are only buffered, and the buffer goes out when it is full, when the
 * conversation turns, or at the latest {@link #FLUSH_DELAY_NANOS} later, when a flusher thread of
 * this connection looks. So a stream of small messages costs a system call per buffer, not per
 * message, and the last of a burst waits a fraction of a millisecond at most.
 */
public final class FrameWriter {
    /** Frames closer together than this, with nothing received between them, are a stream. */
    private static final long STREAM_GAP_NANOS = 50_000;
    /** The longest a buffered frame waits for the flusher. */
    private static final long FLUSH_DELAY_NANOS = 100_000;
    /** How long the flusher thread stays without work before it ends; the next stream starts another. */
    private static final long FLUSHER_IDLE_NANOS = 5_000_000_000L;
    /** How long closing waits for a writer blocked on a full pipe before it gives up. */
    private static final long CLOSE_WAIT_NANOS = 2_000_000_000L;

    private final ReentrantLock lock = new ReentrantLock();
    private final OutputStream out;
    private final byte[] header = new byte[9];
    private final String name;
    /** Frames the connection has received: a frame between two writes means a conversation, not a stream. */
    private volatile long received;
    private volatile boolean flushScheduled;
    private volatile boolean closed;
    /** Whether buffered frames wait for a flush; written under the lock, read without it. */
    private volatile boolean dirty;

    // guarded by lock
    private long lastWrite;
    private long receivedAtLastWrite;
    private Thread flusher;

    public FrameWriter(OutputStream out, String name) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.name = name;
    }

    public void write(int code, int channelId, byte[] payload) throws IOException {
        write(code, channelId, payload, null);
    }

    /** Tells the writer a frame arrived (receiver thread only). */
    void noteReceived() {
        received++;
    }

    /**
     * Writes a frame whose payload is {@code prefix}, followed, when {@code body} is not null, by
     * {@code body} and a STOP opcode: a bytes item's opcode and length, then the caller's array as it
     * is, without copying it into a payload first.
     */
    public void write(int code, int channelId, byte[] prefix, byte[] body) throws IOException {
        int length = prefix.length + (body == null ? 0 : body.length + 1);
        // lock(), not lockInterruptibly(): a frame half written would corrupt the stream.
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the stream to " + name + " is closed");
            }
            long now = System.nanoTime();
            long receivedNow = received;
            boolean stream = now - lastWrite < STREAM_GAP_NANOS && receivedNow == receivedAtLastWrite;
            lastWrite = now;
            receivedAtLastWrite = receivedNow;
            header[0] = (byte) code;
            putInt(1, channelId);
            putInt(5, length);
            out.write(header, 0, 9);
            out.write(prefix);
            if (body != null) {
                out.write(body);
                out.write('Q');
            }
            if (stream) {
                dirty = true;
                scheduleFlush();
            } else {
                out.flush();
                dirty = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends buffered frames now: called by a thread about to wait for an answer, which must not wait
     * for the flusher first. Costs a volatile read when nothing is buffered.
     */
    public void flushIfDirty() throws IOException {
        // tryLock: a thread that holds the lock is writing, and a stream's frames have the flusher.
        if (!dirty || !lock.tryLock()) {
            return;
        }
        try {
            if (dirty && !closed) {
                out.flush();
                dirty = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes sure the flusher looks soon (under the lock). */
    private void scheduleFlush() {
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        if (flusher == null) {
            flusher = new Thread(this::flushLoop, "jexecnet-flusher-" + name);
            flusher.setDaemon(true);
            flusher.start();
        } else {
            LockSupport.unpark(flusher);
        }
    }

    /**
     * The flusher thread: parked until a stream starts, then flushes what waits, shortly after. Ends
     * when the connection closes or after a few idle seconds, so that no connection, whatever way it
     * ended, keeps a thread.
     */
    private void flushLoop() {
        while (!closed) {
            if (!flushScheduled) {
                LockSupport.parkNanos(this, FLUSHER_IDLE_NANOS);
                if (!flushScheduled && endIfIdle()) {
                    return;
                }
                continue;
            }
            LockSupport.parkNanos(this, FLUSH_DELAY_NANOS);
            lock.lock();
            try {
                // Cleared before flushing, under the lock: a frame written after this schedules again.
                flushScheduled = false;
                if (dirty && !closed) {
                    out.flush();
                    dirty = false;
                }
            } catch (IOException e) {
                // the next write reports the broken stream to its sender
            } finally {
                lock.unlock();
            }
        }
    }

    /** Ends the flusher thread if no flush was asked for meanwhile (scheduleFlush starts a new one). */
    private boolean endIfIdle() {
        lock.lock();
        try {
            if (flushScheduled) {
                return false;
            }
            flusher = null;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes and closes the stream, so that the peer reads end-of-file. Waits at most two seconds for a
     * writer blocked on a full pipe: a peer that stopped reading must not hang its master, which kills
     * it next.
     */
    public void close() throws IOException {
        try {
            if (!lock.tryLock(CLOSE_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            closed = true;
            if (flusher != null) {
                LockSupport.unpark(flusher);
            }
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
