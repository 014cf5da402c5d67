package org.jexecnet.internal.protocol;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A channel's queue of received items: the receiver thread adds, {@code receive} callers take.
 *
 * <p>Lock-free on both sides: adding is a CAS and, only when a taker is parked, one unpark; taking is a
 * CAS. A {@code LinkedBlockingQueue} takes a lock on each side and signals across them, which makes a
 * stream of small items contend for every one of them.
 */
final class ItemQueue {
    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Thread> parked = new ConcurrentLinkedQueue<>();

    void add(Object item) {
        items.offer(item);
        Thread taker = parked.poll();
        if (taker != null) {
            LockSupport.unpark(taker);
        }
    }

    /** The next item, or null when there is none now. */
    Object poll() {
        return items.poll();
    }

    /**
     * The next item, waiting at most {@code nanos} (or without limit when negative).
     *
     * @return the item, or null when the time ran out
     * @throws InterruptedException when interrupted while waiting
     */
    Object take(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        Thread self = Thread.currentThread();
        while (true) {
            Object item = items.poll();
            if (item != null) {
                return item;
            }
            // Announce the wait, then look again: an item added before the announcement is seen by the
            // second look, one added after it finds this thread to unpark.
            parked.offer(self);
            item = items.poll();
            if (item != null) {
                parked.remove(self);
                return item;
            }
            if (nanos < 0) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    parked.remove(self);
                    return null;
                }
                LockSupport.parkNanos(this, left);
            }
            parked.remove(self);
            if (Thread.interrupted()) {
                // This thread may have been woken for an item it will not take: pass the wake-up on.
                if (!items.isEmpty()) {
                    Thread next = parked.poll();
                    if (next != null) {
                        LockSupport.unpark(next);
                    }
                }
                throw new InterruptedException();
            }
        }
    }
}
