package org.jexecnet.internal.protocol;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames, each one whole, from any number of threads.
 *
 * <p>A frame is written and flushed at once while the conversation goes back and forth: a round trip
 * pays for no batching. When frames follow each other closely with nothing received in between (a
 * sender in a loop), they are only buffered, and the buffer goes out when it is full, when the
 * conversation turns, or at the latest {@link #FLUSH_DELAY_NANOS} later, when a flush task of the
 * connection's runs. So a stream of small messages costs a system call per buffer, not per message,
 * and the last of a burst waits a fraction of a millisecond at most.
 *
 * <p>{@link #lock} guards the stream and the fields below it. A writer holds it while a frame goes out,
 * which may block on a full pipe; nothing else is locked while it is held but the runner's lock, to
 * schedule a flush.
 */
public final class FrameWriter {
    /** Frames closer together than this, with nothing received between them, are a stream. */
    private static final long STREAM_GAP_NANOS = 50_000;
    /** The longest a buffered frame waits for the flush task. */
    private static final long FLUSH_DELAY_NANOS = 100_000;
    /** How long closing waits for a writer blocked on a full pipe before it gives up. */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * A heartbeat that must not block is written only while the peer has read all but this much of what
     * was written: any pipe or socket has room for that, so the write cannot wait.
     */
    private static final long SAFE_UNREAD = 4096 - 17;

    private final ReentrantLock lock = new ReentrantLock();
    private final OutputStream out;
    private final byte[] header = new byte[9];
    private final String name;
    private final TaskRunner.Clock clock;
    /** Where delayed flushes run; null for a standalone writer, which flushes every frame. */
    private final TaskQueue flushes;
    private final Task flushTask = Task.of("flush", Task.Kind.MAY_BLOCK, this::flushNow);
    /** Frames the connection has received: a frame between two writes means a conversation, not a stream. */
    private volatile long received;
    /** What the peer said it has read of this stream, in its last heartbeat. */
    private volatile long peerRead;
    private volatile boolean flushScheduled;
    private volatile boolean closed;
    /** Whether buffered frames wait for a flush; written under the lock, read without it. */
    private volatile boolean dirty;

    // Guarded by lock.
    private long lastWrite;
    private long receivedAtLastWrite;
    /** Bytes of frames handed to the stream, flushed or not. */
    private long written;

    /** A standalone writer, for tests and tools: every frame is flushed as it is written. */
    public FrameWriter(OutputStream out, String name) {
        this(out, name, System::nanoTime, null);
    }

    FrameWriter(OutputStream out, String name, TaskRunner.Clock clock, TaskQueue flushes) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.name = name;
        this.clock = clock;
        this.flushes = flushes;
    }

    public void write(int code, int channelId, byte[] payload) throws IOException {
        write(code, channelId, payload, null);
    }

    /** Tells the writer a frame arrived (receiver thread only). */
    void noteReceived() {
        received++;
    }

    /** The peer's heartbeat said it has read this many bytes of what this side wrote (receiver thread). */
    void notePeerRead(long bytes) {
        peerRead = bytes;
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
            long now = clock.nanoTime();
            long receivedNow = received;
            boolean stream = flushes != null && now - lastWrite < STREAM_GAP_NANOS && receivedNow == receivedAtLastWrite;
            lastWrite = now;
            receivedAtLastWrite = receivedNow;
            putHeader(code, channelId, length);
            out.write(header, 0, 9);
            out.write(prefix);
            if (body != null) {
                out.write(body);
                out.write('Q');
            }
            written += 9 + length;
            if (stream) {
                dirty = true;
                if (!flushScheduled) {
                    flushScheduled = true;
                    flushes.schedule(flushTask, FLUSH_DELAY_NANOS);
                }
            } else {
                out.flush();
                dirty = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a heartbeat carrying {@code bytesRead}, what this side has read of the peer's stream, in
     * its turn: it may wait for other writers and for a full pipe.
     *
     * @return whether it was written (false once the stream is closed or broken)
     */
    boolean heartbeat(long bytesRead) {
        lock.lock();
        try {
            return !closed && writeHeartbeat(bytesRead);
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #heartbeat}, but never waiting: the heartbeat is left out when another frame is being
     * written (its bytes are the sign of life, or it waits on a full pipe), when buffered frames wait for
     * their flush (which will be the sign of life), or when the peer has not said it read what was
     * written before (the pipe could be full). For the timer thread, which must never block.
     *
     * @return whether it was written
     */
    boolean heartbeatWithoutWaiting(long bytesRead) {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            return !closed && !dirty && written - peerRead <= SAFE_UNREAD && writeHeartbeat(bytesRead);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock. */
    private boolean writeHeartbeat(long bytesRead) {
        try {
            putHeader(Frame.HEARTBEAT, 0, 8);
            out.write(header, 0, 9);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (bytesRead >>> shift));
            }
            written += 17;
            out.flush();
            dirty = false;
            return true;
        } catch (IOException e) {
            return false; // the stream is broken: the receiver sees the peer gone
        }
    }

    /**
     * Sends buffered frames now: called by a thread about to wait for an answer, which must not wait
     * for the flush task first. Costs a volatile read when nothing is buffered.
     */
    public void flushIfDirty() throws IOException {
        // tryLock: a thread that holds the lock is writing, and a stream's frames have the flush task.
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

    /** The flush task: sends what a stream left in the buffer. */
    private long flushNow() {
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
        return -1;
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
            out.close();
        } finally {
            lock.unlock();
        }
    }

    private void putHeader(int code, int channelId, int length) {
        header[0] = (byte) code;
        putInt(1, channelId);
        putInt(5, length);
    }

    private void putInt(int at, int value) {
        header[at] = (byte) (value >>> 24);
        header[at + 1] = (byte) (value >>> 16);
        header[at + 2] = (byte) (value >>> 8);
        header[at + 3] = (byte) value;
    }
}
