package org.jexecnet.internal.protocol;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A channel's credit, both ways (jexecnet peers only; execnet has none). Bytes are counted as the
 * serialized payloads' lengths, the same on both ends.
 *
 * <p><b>Sending.</b> This side may have up to a window of bytes that the peer has not consumed; a send
 * waits while its credit is used up. One item may overdraw it, so an item larger than the window still
 * goes, alone.
 *
 * <p><b>Receiving.</b> An item counts as consumed when {@code receive} takes it or a callback has run on
 * it; consumed bytes are granted back to the sender in {@code CHANNEL_CREDIT} frames once a quarter
 * window has gathered. A channel nobody reads so holds at most a window plus one item.
 *
 * <p><b>Lending.</b> execnet's ordinary pattern, "send N items, then receive N answers" on one channel,
 * would deadlock under any fixed window: the peer blocks sending answers this side does not read yet,
 * stops reading, and this side's sends wait for it. So while a send on this channel waits for credit and
 * the peer has (nearly) used up what this side allowed it, this side lends the peer another window from
 * its connection's {@link Stretch}: the peer's answers land in this side's memory, the peer reads again,
 * and this side's sends go on. A loan is repaid as this side consumes, before any grant; the stretch,
 * and with it what one connection may hold beyond its windows, is bounded. A channel nobody reads and
 * that this side does not send on never borrows.
 *
 * <p><b>Locking.</b> Senders wait on their channel's lock (the one lock of {@link RealChannel}) and its
 * condition {@code credited}. Every counter is atomic, so that a send that finds credit, a receive that
 * consumes, and the receiver thread counting an arrival take no lock.
 */
final class FlowControl {
    /** What a send waiting for credit came to. */
    enum Credit { TAKEN, TIMED_OUT, ENDED }

    private final long window;
    private final Stretch stretch;
    private final ReentrantLock lock;
    private final Condition credited;
    /** Asks the connection to write what {@link #takeGrant} returns. */
    private final Runnable requestGrant;

    // Sending.
    private final AtomicLong credit;
    /** Senders waiting for credit: written under the lock, read without it. */
    private volatile int waiting;
    private volatile boolean ended;

    // Receiving.
    /** Bytes of items that arrived. */
    private final AtomicLong received = new AtomicLong();
    /** What the peer may have sent in all: the window, every grant and every loan. */
    private final AtomicLong allowed;
    private final AtomicLong consumedUngranted = new AtomicLong();
    private final AtomicLong loan = new AtomicLong();
    /** Decided, not yet written. */
    private final AtomicLong toGrant = new AtomicLong();

    FlowControl(long window, Stretch stretch, ReentrantLock channelLock, Runnable requestGrant) {
        this.window = window;
        this.stretch = stretch;
        this.lock = channelLock;
        this.credited = channelLock.newCondition();
        this.requestGrant = requestGrant;
        this.credit = new AtomicLong(window);
        this.allowed = new AtomicLong(window);
    }

    // --- sending ---

    /** Takes credit for {@code bytes} if there is any: no lock, no wait. */
    boolean tryAcquire(long bytes) {
        if (ended || credit.get() <= 0) {
            return false;
        }
        credit.addAndGet(-bytes);
        return true;
    }

    /**
     * Waits for credit for {@code bytes} and takes it.
     *
     * @param timeoutNanos how long to wait, or a negative number for as long as it takes
     */
    Credit await(long bytes, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            waiting++;
            lendIfStuck(); // this side waits now: the peer may be waiting for it
            while (credit.get() <= 0 && !ended) {
                if (timeoutNanos < 0) {
                    credited.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Credit.TIMED_OUT;
                    }
                    credited.await(left, TimeUnit.NANOSECONDS);
                }
            }
            if (ended) {
                return Credit.ENDED;
            }
            credit.addAndGet(-bytes);
            return Credit.TAKEN;
        } finally {
            waiting--;
            lock.unlock();
        }
    }

    /** Bytes this side sent that the peer has not granted back yet. */
    long unconsumed() {
        return window - credit.get();
    }

    /** The peer consumed {@code bytes} more (a CHANNEL_CREDIT arrived: receiver thread). */
    void grant(long bytes) {
        credit.addAndGet(bytes);
        wakeSenders();
    }

    /** The channel ended: senders stop waiting, and a loan goes back to the stretch. */
    void end() {
        ended = true;
        wakeSenders();
        stretch.release(loan.getAndSet(0));
    }

    private void wakeSenders() {
        if (waiting > 0) {
            lock.lock();
            try {
                credited.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    // --- receiving ---

    /** An item of {@code bytes} arrived (receiver thread). */
    void arrived(long bytes) {
        received.addAndGet(bytes);
        if (waiting > 0) {
            lendIfStuck();
        }
    }

    /** This side consumed an item of {@code bytes}: repays a loan first, then grants once enough gathered. */
    void consumed(long bytes) {
        long rest = bytes - repay(bytes);
        if (rest > 0 && consumedUngranted.addAndGet(rest) >= window / 4) {
            long grant = consumedUngranted.getAndSet(0);
            if (grant > 0) {
                allowed.addAndGet(grant);
                toGrant.addAndGet(grant);
                requestGrant.run();
            }
        }
    }

    private long repay(long bytes) {
        while (true) {
            long owed = loan.get();
            if (owed == 0) {
                return 0;
            }
            long paid = Math.min(owed, bytes);
            if (loan.compareAndSet(owed, owed - paid)) {
                stretch.release(paid);
                return paid;
            }
        }
    }

    /**
     * Lends the peer a window more when a send of this side's waits and the peer has nearly used up what
     * it may send: it is likely waiting for this side in turn.
     */
    private void lendIfStuck() {
        if (ended || allowed.get() - received.get() >= window / 4) {
            return;
        }
        long lent = stretch.take(window);
        if (lent > 0) {
            loan.addAndGet(lent);
            allowed.addAndGet(lent);
            toGrant.addAndGet(lent);
            requestGrant.run();
        }
    }

    /** The bytes to grant the peer now, in one CHANNEL_CREDIT; 0 when none. */
    long takeGrant() {
        return toGrant.getAndSet(0);
    }

    /**
     * What one connection may lend beyond its channels' windows, in all: what lets "send everything,
     * then receive everything" go on, and the bound on the memory it takes.
     */
    static final class Stretch {
        /** At most this much, and at most a quarter of this JVM's heap. */
        static final long MAX = 64L << 20;

        private final AtomicLong available;

        Stretch(long bytes) {
            this.available = new AtomicLong(bytes);
        }

        /** A connection's stretch on this JVM. */
        static Stretch forThisJvm() {
            return new Stretch(Math.min(MAX, Runtime.getRuntime().maxMemory() / 4));
        }

        /** Takes up to {@code wanted}; returns what it took (0 when nothing is left). */
        long take(long wanted) {
            while (true) {
                long left = available.get();
                long taken = Math.min(left, wanted);
                if (taken <= 0 || available.compareAndSet(left, left - taken)) {
                    return Math.max(0, taken);
                }
            }
        }

        void release(long bytes) {
            if (bytes > 0) {
                available.addAndGet(bytes);
            }
        }
    }
}
