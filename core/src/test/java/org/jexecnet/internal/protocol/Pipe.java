package org.jexecnet.internal.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pipe between two ends in one JVM, as a process pipe behaves: a bounded buffer, a writer that waits
 * while it is full, a reader that waits while it is empty, end-of-stream once the writing end closes,
 * "broken pipe" once the reading end does. A test can wait until the reader has taken everything and
 * waits for more: then what was written has had its effect.
 */
final class Pipe {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final byte[] buffer;
    private int start;
    private int size;
    private boolean writeClosed;
    private boolean readClosed;
    private boolean readerWaiting;

    Pipe(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** Waits until the buffer is empty and the reader waits for more (or has closed). */
    void awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!(size == 0 && (readerWaiting || readClosed))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the pipe's reader did not take its " + size + " bytes within " + timeout);
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void change(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int buffered() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    InputStream in() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
            }

            /** Waits for at least one byte; a read of none returns at once, as InputStream's contract says (readNBytes asks for none). */
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                lock.lock();
                try {
                    while (size == 0 && !writeClosed && !readClosed) {
                        readerWaiting = true;
                        changed.signalAll();
                        try {
                            changed.await();
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException();
                        } finally {
                            readerWaiting = false;
                        }
                    }
                    if (readClosed) {
                        throw new IOException("closed");
                    }
                    if (size == 0) {
                        return -1;
                    }
                    int n = Math.min(len, size);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = buffer[(start + i) % buffer.length];
                    }
                    start = (start + n) % buffer.length;
                    size -= n;
                    changed.signalAll();
                    return n;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void close() {
                change(() -> readClosed = true);
            }
        };
    }

    OutputStream out() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                lock.lock();
                try {
                    for (int i = 0; i < len; ) {
                        while (size == buffer.length && !readClosed && !writeClosed) {
                            try {
                                changed.await();
                            } catch (InterruptedException e) {
                                throw new InterruptedIOException();
                            }
                        }
                        if (readClosed || writeClosed) {
                            throw new IOException("Broken pipe");
                        }
                        int n = Math.min(len - i, buffer.length - size);
                        for (int j = 0; j < n; j++) {
                            buffer[(start + size + j) % buffer.length] = b[off + i + j];
                        }
                        size += n;
                        i += n;
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void close() {
                change(() -> writeClosed = true);
            }
        };
    }
}
