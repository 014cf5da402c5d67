package org.jexecnet.internal.protocol;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames, each one whole, from any number of threads.
 *
 * <p>A frame is written and flushed at once while the conversation goes back and forth: a round trip
 * pays for no batching. When frames follow each other closely with nothing received in between (a
 * sender in a loop), they go to a pending buffer instead, and a writer thread of this connection
 * writes whatever has gathered with one system call, while the senders go on. So a stream of small
 * messages costs a system call per batch, not per message, and no frame waits for a later one: the
 * writer thread writes as soon as it can.
 */
public final class FrameWriter {
    /** Frames closer together than this, with nothing received between them, are a stream. */
    private static final long STREAM_GAP_NANOS = 50_000;
    /** How long closing waits for frames still on their way out before it gives up on them. */
    private static final long CLOSE_WAIT_NANOS = 2_000_000_000L;
    /** Larger frames are written directly: batching would only copy them once more. */
    private static final int BATCH_LIMIT = 16 * 1024;
    /** The pending buffer's size at which senders wait for the writer thread to catch up. */
    private static final int BACKLOG_LIMIT = 1 << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition drained = lock.newCondition();
    private final OutputStream out;
    private final byte[] header = new byte[9];
    private final String name;

    // guarded by lock
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(64 * 1024);
    private ByteArrayOutputStream spare = new ByteArrayOutputStream(64 * 1024);
    private boolean writing;
    private boolean closed;
    private IOException failure;
    private long lastWrite;
    private long receivedAtLastWrite;
    private Thread writer;
    /** Frames the connection has received: a frame between two writes means a conversation, not a stream. */
    private volatile long received;

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
     * Writes a frame whose payload is {@code prefix} followed by {@code body}: a bytes item's opcode
     * and length, then the caller's array as it is, without copying it into a payload first.
     */
    public void write(int code, int channelId, byte[] prefix, byte[] body) throws IOException {
        int length = prefix.length + (body == null ? 0 : body.length + 1);
        // lock(), not lockInterruptibly(): a frame half written would corrupt the stream.
        lock.lock();
        try {
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            if (closed) {
                throw new IOException("the stream to " + name + " is closed");
            }
            long now = System.nanoTime();
            long receivedNow = received;
            boolean stream = now - lastWrite < STREAM_GAP_NANOS && receivedNow == receivedAtLastWrite;
            lastWrite = now;
            receivedAtLastWrite = receivedNow;
            if (length <= BATCH_LIMIT && (stream || writing || pending.size() > 0)) {
                while (pending.size() > BACKLOG_LIMIT && failure == null) {
                    drained.awaitUninterruptibly();
                }
                putHeader(code, channelId, length);
                pending.write(header, 0, 9);
                pending.write(prefix, 0, prefix.length);
                if (body != null) {
                    pending.write(body, 0, body.length);
                    pending.write('Q');
                }
                wakeWriter();
                return;
            }
            while (writing || pending.size() > 0) {
                drained.awaitUninterruptibly(); // keep frames in order behind what the writer thread holds
            }
            putHeader(code, channelId, length);
            out.write(header, 0, 9);
            out.write(prefix);
            if (body != null) {
                out.write(body);
                out.write('Q');
            }
            out.flush();
        } catch (IOException e) {
            failure = e;
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void wakeWriter() {
        if (writer == null) {
            writer = new Thread(this::writeLoop, "jexecnet-writer-" + name);
            writer.setDaemon(true);
            writer.start();
        }
        work.signal();
    }

    /** The writer thread: writes what gathered, outside the lock, until the connection closes. */
    private void writeLoop() {
        lock.lock();
        try {
            while (true) {
                while (pending.size() == 0 && !closed) {
                    work.awaitUninterruptibly();
                }
                if (pending.size() == 0) {
                    return;
                }
                ByteArrayOutputStream batch = pending;
                pending = spare;
                spare = batch;
                writing = true;
                lock.unlock();
                IOException failed = null;
                try {
                    batch.writeTo(out);
                    out.flush();
                } catch (IOException e) {
                    failed = e;
                } finally {
                    lock.lock();
                }
                batch.reset();
                writing = false;
                if (failed != null) {
                    failure = failed;
                    pending.reset();
                }
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the stream once every frame is out, so that the peer reads end-of-file. Waits at most two
     * seconds: a peer that stopped reading must not hang its master, which kills it next.
     */
    public void close() throws IOException {
        try {
            if (!lock.tryLock(CLOSE_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                return; // a sender is blocked on a full pipe: the peer's death will end it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            long left = CLOSE_WAIT_NANOS;
            while ((writing || pending.size() > 0) && failure == null && left > 0) {
                left = drained.awaitNanos(left);
            }
            closed = true;
            work.signalAll();
            if (!writing) {
                out.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
