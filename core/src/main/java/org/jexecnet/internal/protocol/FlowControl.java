package org.jexecnet.internal.protocol;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jexecnet.ChannelTimeoutException;

/**
 * A channel's credit window, both ways (jexecnet peers only; execnet has none).
 *
 * <p>Sending: the sender may have up to {@code window} bytes of payload that the receiver has not
 * consumed; a send waits while the credit is used up. One item may overdraw it, so an item larger
 * than the window still goes, alone. Receiving: bytes count as consumed when {@code receive} takes
 * their item or a callback has run on it, and are granted back to the sender in
 * {@code CHANNEL_CREDIT} frames once a quarter window has gathered. Memory for a channel nobody
 * reads is so bounded by the window plus one item per sending thread.
 *
 * <p>A send that finds credit takes it without a lock: that is every send while the receiver keeps up.
 */
final class FlowControl {
    private final long window;
    private final AtomicLong credit;
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition granted = lock.newCondition();
    private volatile boolean ended;
    /** Runs before a send waits: flushes what the writer buffered, which the receiver needs to grant anything. */
    private final Runnable onWait;

    FlowControl(long window, Runnable onWait) {
        this.window = window;
        this.credit = new AtomicLong(window);
        this.onWait = onWait;
    }

    /**
     * Takes credit for {@code bytes}, waiting while there is none.
     *
     * @param timeout how long to wait for credit, or null to wait as long as it takes
     * @return false when the channel ended while waiting (the caller reports why)
     * @throws ChannelTimeoutException when the timeout passed with no credit
     * @throws InterruptedException when interrupted while waiting
     */
    boolean acquire(long bytes, Duration timeout, String what) throws InterruptedException {
        if (ended) {
            return false;
        }
        if (credit.get() > 0) {
            credit.addAndGet(-bytes);
            return true;
        }
        onWait.run();
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        waiting.incrementAndGet();
        lock.lock();
        try {
            while (credit.get() <= 0 && !ended) {
                if (timeout == null) {
                    granted.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ChannelTimeoutException("cannot send on " + what + ": the receiver has not taken the "
                                + (window - credit.get()) + " bytes before it", timeout);
                    }
                    granted.awaitNanos(left);
                }
            }
            if (ended) {
                return false;
            }
            credit.addAndGet(-bytes);
            return true;
        } finally {
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    /** Takes credit for {@code bytes} without waiting, overdrawing if need be. */
    void overdraw(long bytes) {
        credit.addAndGet(-bytes);
    }

    /** The receiver took {@code bytes} more (a CHANNEL_CREDIT arrived). */
    void grant(long bytes) {
        credit.addAndGet(bytes);
        wake();
    }

    /** The channel ended: senders waiting for credit stop waiting. */
    void end() {
        ended = true;
        wake();
    }

    private void wake() {
        if (waiting.get() > 0) {
            lock.lock();
            try {
                granted.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * This side consumed {@code bytes} of received items.
     *
     * @return the bytes to grant the sender now, or 0 to wait for more
     */
    long consumed(long bytes) {
        long total = consumed.addAndGet(bytes);
        if (total >= window / 4) {
            return consumed.getAndSet(0);
        }
        return 0;
    }
}
