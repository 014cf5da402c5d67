package org.jexecnet.internal.protocol;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.ExecnetException;
import org.jexecnet.LoadException;
import org.jexecnet.RemoteException;
import org.jexecnet.internal.debug.Trace;

/**
 * A channel's receiving side, as execnet's: items arrive in a queue (or at a callback), an end marker
 * follows the last one, and a remote error is raised once.
 *
 * <p>Callbacks run on a task queue of the channel's own, off the receiver thread: one at a time and in
 * order, so that a slow callback holds up its own channel and nothing else.
 *
 * <p><b>State under the channel's lock</b> (see {@link RealChannel}):
 * <ul>
 *   <li>{@code ended}: no item will arrive any more (the peer closed or sent its last message, this side
 *       closed, or the connection ended). Set once.
 *   <li>{@code settled}: the end has reached the consumer: {@link #END} is in {@link #items}, or the
 *       callback has had every pending item and its endmarker. Holds only while {@code ended} does;
 *       {@link #waitClose} returns when both hold.
 *   <li>Without a callback, arrived items are in {@link #items}. Once {@code callback} is set it stays
 *       set, {@link #items} stays empty (setCallback moved its items to {@code pending}), and items go
 *       to {@code pending}, which the delivery task drains in order; {@code deliveryScheduled} is true
 *       while that task is scheduled or running.
 *   <li>{@code remoteError} and {@code callbackFailure} are raised once, then forgotten.
 * </ul>
 * Lock-free by design, for the hot path: {@link #items}, which the receiver thread adds to and
 * {@code receive} takes from.
 *
 * <p>(A little over this package's 400 lines: the queue, the callback's delivery and the end share the
 * state above, and each of their changes must be read beside the invariants it keeps.)
 */
final class Inbox {
    /** Marks the end of the items; every receive after it sees it again. */
    private static final Object END = new Object();
    /** Stands for null in the queue, which cannot hold null. */
    private static final Object NONE = new Object();
    /** The endmarker of a callback that wants none. */
    static final Object NO_ENDMARKER = new Object();
    /** How long {@code receive} polls before it parks. */
    private static final long SPIN_NANOS = 50_000;
    /** The channel whose callback the current thread runs, if any. */
    private static final ThreadLocal<RealChannel> CALLBACK_RUNNING = new ThreadLocal<>();

    /** An item that arrived but could not be loaded: its receive raises the failure. */
    record Unloadable(LoadException failure) {}

    /** A queued item with its size on the wire, counted as consumed once it is taken (flow control). */
    private record Sized(Object item, int bytes) {}

    private final RealChannel channel;
    private final Connection connection;
    private final ReentrantLock lock;
    private final Condition settledChanged;
    /** The channel's credit; null without flow control. */
    private final FlowControl flow;
    private final ItemQueue items = new ItemQueue();
    /** Set once, under the lock; volatile for the check in receive. */
    private volatile Consumer<Object> callback;

    // Guarded by lock.
    private boolean ended;
    private boolean settled;
    private String remoteError;
    private Throwable callbackFailure;
    private ChannelClosedException endCause;
    private Object endmarker = NO_ENDMARKER;
    private ArrayDeque<Object> pending;
    private TaskQueue deliveries;
    private Task deliveryTask;
    private boolean deliveryScheduled;

    Inbox(RealChannel channel, Connection connection, ReentrantLock lock, FlowControl flow) {
        this.channel = channel;
        this.connection = connection;
        this.lock = lock;
        this.settledChanged = lock.newCondition();
        this.flow = flow;
    }

    // --- items in ---

    /** An item arrived (receiver thread): loaded, or an {@link Unloadable}; {@code bytes} on the wire. */
    void arrived(Object item, int bytes) {
        Object queued = item == null ? NONE : item;
        if (flow != null) {
            flow.arrived(bytes);
            queued = new Sized(queued, bytes);
        }
        lock.lock();
        try {
            if (ended) {
                return; // closed on this side meanwhile: nothing may follow the end
            }
            if (callback == null) {
                items.add(queued);
            } else {
                pending.add(queued);
                scheduleDelivery();
            }
        } finally {
            lock.unlock();
        }
    }

    // --- receive ---

    /**
     * Receives, waiting at most {@code nanos}, or without a limit when negative.
     *
     * @throws IllegalStateException with a callback, or inside any channel's callback, which must not wait
     */
    Object receive(long nanos, Duration timeout) {
        RealChannel running = CALLBACK_RUNNING.get();
        if (running != null && callback == null) {
            throw new IllegalStateException("cannot receive() on " + channel + " inside the callback of " + running
                    + ": a callback must not wait for items, since the next items of its channel wait for it; receive on"
                    + " another thread, or give " + channel + " a callback too");
        }
        return receiveAnswer(nanos, timeout);
    }

    /** As {@link #receive}, also inside a callback: for answers the engine asked for, which need no callback. */
    Object receiveAnswer(long nanos, Duration timeout) {
        if (callback != null) {
            throw new IllegalStateException("cannot receive() on " + channel + ": it has a receiver callback");
        }
        Object item = awaitBriefly();
        try {
            if (item == null) {
                item = items.take(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecnetException("interrupted while receiving on " + channel, e);
        }
        if (item == null) {
            throw new ChannelTimeoutException("no item after " + timeout + " on " + channel, timeout);
        }
        if (item == END) {
            items.add(END);
            throw endException();
        }
        if (item instanceof Sized sized) {
            flow.consumed(sized.bytes());
            item = sized.item();
        }
        return unwrap(item);
    }

    /**
     * Polls for a short while before the caller parks: in a conversation or a stream the next item is
     * usually microseconds away, and waking a parked thread costs more than that on an idle CPU. It
     * yields while it polls, so that on a busy machine the threads that produce the item get the CPU.
     */
    private Object awaitBriefly() {
        Object item = items.poll();
        if (item == null) {
            connection.flushBeforeWaiting();
            long end = System.nanoTime() + SPIN_NANOS;
            do {
                Thread.yield();
                item = items.poll();
            } while (item == null && System.nanoTime() < end);
        }
        return item;
    }

    private static Object unwrap(Object item) {
        if (item instanceof Unloadable unloadable) {
            throw unloadable.failure();
        }
        return item == NONE ? null : item;
    }

    /** What a receive past the end raises: the remote error once, then the reason the channel ended. */
    private RuntimeException endException() {
        lock.lock();
        try {
            if (remoteError != null) {
                String error = remoteError;
                remoteError = null;
                return new RemoteException(error, "gateway " + connection.name() + ", channel " + channel.id());
            }
            if (endCause instanceof ConnectionLostException lost) {
                return new ConnectionLostException(lost.getMessage(), lost.getCause());
            }
            return new ChannelClosedException(channel + " is closed" + (endCause == null ? "" : ": " + endCause.getMessage()));
        } finally {
            lock.unlock();
        }
    }

    // --- callbacks ---

    /** Sets the callback: what is queued goes to it first, then what arrives; the endmarker (if any) last. */
    void setCallback(Consumer<Object> newCallback, Object marker) {
        lock.lock();
        try {
            if (callback != null) {
                throw new IllegalStateException(channel + " has a callback already");
            }
            endmarker = marker;
            pending = new ArrayDeque<>();
            for (Object item = items.poll(); item != null; item = items.poll()) {
                pending.add(item);
            }
            if (pending.peekLast() == END) {
                settled = false; // the end reaches the callback after the items, and waitClose waits for that
            }
            deliveries = connection.newTaskQueue("callbacks of " + channel);
            deliveryTask = Task.of("callbacks of " + channel, Task.Kind.MAY_BLOCK, this::deliverPending);
            callback = newCallback;
            if (!pending.isEmpty()) {
                scheduleDelivery();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean hasCallback() {
        return callback != null;
    }

    /** Under the lock. */
    private void scheduleDelivery() {
        if (!deliveryScheduled) {
            deliveryScheduled = true;
            deliveries.schedule(deliveryTask, 0);
        }
    }

    /** The delivery task: hands the callback what is pending, in order, then the end. */
    private long deliverPending() {
        Consumer<Object> target = callback;
        while (true) {
            Object item;
            lock.lock();
            try {
                item = pending.poll();
                if (item == null) {
                    deliveryScheduled = false;
                    return -1;
                }
            } finally {
                lock.unlock();
            }
            if (item == END) {
                if (endmarker != NO_ENDMARKER) {
                    runEndmarker(target);
                }
                settle();
            } else if (item instanceof Sized sized) {
                runCallback(target, sized.item());
                flow.consumed(sized.bytes()); // consumed once its callback has run
            } else {
                runCallback(target, item);
            }
        }
    }

    /**
     * Runs the callback on one item; if it fails, the channel closes with the failure, as execnet does:
     * the other side sees it as a remote error, and this side's next {@link #waitClose} raises it.
     */
    private void runCallback(Consumer<Object> target, Object item) {
        CALLBACK_RUNNING.set(channel);
        try {
            target.accept(unwrap(item));
        } catch (RuntimeException | Error e) {
            callbackFailed(e);
            channel.closeHere(RealChannel.stackTrace(e));
        } finally {
            CALLBACK_RUNNING.remove();
        }
    }

    /** Hands the callback its endmarker; a failure can only reach waitClose: the channel has ended. */
    private void runEndmarker(Consumer<Object> target) {
        CALLBACK_RUNNING.set(channel);
        try {
            target.accept(endmarker);
        } catch (RuntimeException | Error e) {
            callbackFailed(e);
        } finally {
            CALLBACK_RUNNING.remove();
        }
    }

    /** Keeps the first failure of a callback for {@link #waitClose}, and reports it. */
    private void callbackFailed(Throwable failure) {
        lock.lock();
        try {
            if (callbackFailure == null) {
                callbackFailure = failure;
            }
        } finally {
            lock.unlock();
        }
        Trace.warn("exception during callback of " + channel, failure);
    }

    // --- the end ---

    /** The peer closed, or sent its last message: with its error, if any (receiver thread). */
    void peerEnded(String error) {
        lock.lock();
        try {
            if (error != null) {
                remoteError = error;
            }
            end();
        } finally {
            lock.unlock();
        }
    }

    /** The whole connection ended. */
    void connectionEnded(ChannelClosedException why) {
        lock.lock();
        try {
            if (!ended) {
                endCause = why; // a channel whose peer had finished sending ended cleanly before this
            }
            end();
        } finally {
            lock.unlock();
        }
    }

    /** This side closed: items that still wait for the callback are dropped, since nothing follows a close. */
    void closedHere() {
        lock.lock();
        try {
            if (pending != null && !ended) {
                pending.clear();
            }
            end();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends receiving, once: queues the end after the items, or hands it to the callback's queue. Never
     * waits for a callback that is running (under the lock).
     */
    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (callback == null) {
            items.add(END);
            settled = true;
            settledChanged.signalAll();
        } else {
            pending.add(END);
            scheduleDelivery();
        }
    }

    /** The end has reached the callback: waitClose may return. */
    private void settle() {
        lock.lock();
        try {
            settled = true;
            settledChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the end at most {@code nanos}, or without a limit when negative; raises what it carried. */
    void waitClose(long nanos, Duration timeout) {
        if (CALLBACK_RUNNING.get() == channel) {
            throw new IllegalStateException("cannot waitClose() on " + channel + " inside its own callback: its end"
                    + " reaches the callback only after the callback returns");
        }
        long deadline = System.nanoTime() + nanos;
        connection.flushBeforeWaiting();
        RuntimeException failure;
        lock.lock();
        try {
            while (!(ended && settled)) {
                try {
                    if (nanos < 0) {
                        settledChanged.await();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new ChannelTimeoutException(channel + " still open after " + timeout, timeout);
                        }
                        settledChanged.await(left, TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ExecnetException("interrupted while waiting for " + channel + " to close", e);
                }
            }
            if (callbackFailure != null) {
                Throwable cause = callbackFailure;
                callbackFailure = null;
                failure = new ExecnetException("the callback of " + channel + " failed, which closed the channel: " + cause, cause);
            } else if (remoteError == null && !(endCause instanceof ConnectionLostException)) {
                return;
            } else {
                failure = endException();
            }
        } finally {
            lock.unlock();
        }
        throw failure;
    }
}
