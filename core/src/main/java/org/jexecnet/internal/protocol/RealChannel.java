package org.jexecnet.internal.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jexecnet.Channel;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.ExecnetException;
import org.jexecnet.Gateway;
import org.jexecnet.LoadException;
import org.jexecnet.RemoteException;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;

/**
 * The channel state machine, as execnet's: items arrive in a queue (or at a callback), an end marker
 * follows the last one, a remote error is raised once, and a closed channel refuses to send.
 *
 * <p>Items are loaded on the receiver thread as they arrive, as execnet does, so that a channel sent
 * inside an item exists before anything arrives on it.
 */
public final class RealChannel implements Channel {
    /** Marks the end of the items in the queue; every receive after it sees it again. */
    private static final Object END = new Object();
    /** Stands for null in the queue, which cannot hold null. */
    private static final Object NONE = new Object();
    /** How long {@code receive} polls before it parks. */
    private static final long SPIN_NANOS = 50_000;

    /** An item that arrived but could not be loaded: its receive raises the failure. */
    private record Unloadable(LoadException failure) {}

    /** A queued item with its size on the wire, granted back to the sender once it is taken (flow control). */
    private record Sized(Object item, int bytes) {}

    private final Connection connection;
    private final int id;
    private final ItemQueue items = new ItemQueue();
    private volatile StringCoercion strings;
    /** True while this channel's own remote execution runs on this side. */
    private volatile boolean executing;

    // Written under this channel's lock; the volatile ones are read without it on the hot paths
    // (send, receive), where taking the lock would contend with the receiver thread for every item.
    private volatile boolean closedHere;
    private volatile boolean peerClosed;
    private volatile Consumer<Object> callback;
    private boolean receiveEnded;
    /**
     * The end was delivered: queued, or handed to the callback, which has returned. {@link #waitClose}
     * waits for it too, so an endmarker callback has run when waitClose returns, as in execnet, where
     * the callback runs before the channel counts as closed. (A rewrite of the engine may fold this
     * into {@code receiveEnded}; what matters is that waiters wake only after the end's delivery.)
     */
    private boolean endSettled;
    private String remoteError;
    /** A callback threw: the channel was closed with it, and the next waitClose raises it (once). */
    private Throwable callbackFailure;
    private ChannelClosedException endCause;

    /**
     * Serializes what reaches the consumer side, in order: items into the queue or to the callback,
     * then the end. Callbacks run under it, never under this channel's monitor, so that a callback
     * waiting for a lock that a closing thread holds cannot deadlock with it.
     */
    private final ReentrantLock delivery = new ReentrantLock();
    // guarded by delivery, except the volatile ones, which are read outside it
    private Object endmarker;
    private boolean wantsEndmarker;
    private volatile boolean endPending;
    private volatile boolean endDelivered;

    /** The credit window both ways; null without flow control (a Python peer). */
    private final FlowControl flow;

    RealChannel(Connection connection, int id) {
        this.connection = connection;
        this.id = id;
        this.strings = connection.strings();
        long window = connection.flowWindow();
        this.flow = window > 0 ? new FlowControl(window, connection::flushBeforeWaiting) : null;
    }

    Connection connection() {
        return connection;
    }

    void setStrings(StringCoercion coercion) {
        strings = coercion;
    }

    public void setExecuting(boolean executing) {
        this.executing = executing;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public Gateway gateway() {
        return connection.owner();
    }

    // --- sending ---

    @Override
    public void send(Object item) {
        sendWithin(item, null);
    }

    @Override
    public void send(Object item, Duration timeout) {
        sendWithin(item, Timeouts.bounded(timeout));
    }

    /** Sends, waiting for credit at most {@code timeout}, or without a limit when it is null. */
    private void sendWithin(Object item, Duration timeout) {
        if (closedHere || peerClosed) {
            throw new ChannelClosedException("cannot send to " + this + ": it is closed");
        }
        // Serialized first: an unsupported value fails here, before it takes credit or waits for it.
        byte[] payload = item instanceof byte[] bytes ? bytesPrefix(bytes.length) : Dumper.dumpPayload(item, connection);
        byte[] body = item instanceof byte[] bytes ? bytes : null;
        if (flow != null) {
            long bytes = payload.length + (body == null ? 0 : body.length + 1);
            if (connection.isReceiverThread()) {
                // A callback sending: the receiver thread reads the credit frames, so it must never wait for one.
                // It overdraws the window instead; the items it sends are bounded by the items it receives.
                flow.overdraw(bytes);
            } else {
                awaitCredit(bytes, timeout);
            }
        }
        // Bulk data goes out as it is: the frame's payload is written around the caller's array.
        connection.send(Frame.CHANNEL_DATA, id, payload, body);
    }

    /** Waits until the receiver has room for {@code bytes} more; the channel's end ends the wait with its reason. */
    private void awaitCredit(long bytes, Duration timeout) {
        boolean granted;
        try {
            granted = flow.acquire(bytes, timeout, toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecnetException("interrupted while sending on " + this, e);
        }
        if (!granted) {
            ChannelClosedException why = connection.ended();
            if (why instanceof ConnectionLostException lost) {
                throw new ConnectionLostException(lost.getMessage(), lost.getCause());
            }
            throw new ChannelClosedException("cannot send to " + this + ": it closed while the send waited for the receiver");
        }
    }

    /** This side is exiting: a send waiting for credit stops waiting (it fails, as every later send does). */
    void stopSending() {
        if (flow != null) {
            flow.end();
        }
    }

    /** The peer consumed {@code bytes} more of what this side sent (receiver thread). */
    void granted(long bytes) {
        if (flow != null) {
            flow.grant(bytes);
        }
    }

    /** This side consumed an item of {@code bytes}: grants them back once enough have gathered. */
    private void consumed(int bytes) {
        long grant = flow.consumed(bytes);
        if (grant > 0 && !peerClosed) {
            connection.grant(id, grant);
        }
    }

    /** Takes the size off a queued item, counting it as consumed. */
    private Object taken(Object item) {
        if (item instanceof Sized sized) {
            consumed(sized.bytes());
            return sized.item();
        }
        return item;
    }

    /** The serializer's {@code A} opcode and length, which precede a bytes value. */
    private static byte[] bytesPrefix(int length) {
        return new byte[] {'A', (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    // --- receiving ---

    @Override
    public Object receive() {
        return receiveWithin(-1, null);
    }

    @Override
    public Object receive(Duration timeout) {
        return receiveWithin(Timeouts.nanos(timeout), timeout);
    }

    /** Receives, waiting at most {@code nanos}, or without a limit when negative. */
    private Object receiveWithin(long nanos, Duration timeout) {
        if (callback != null) {
            throw new IllegalStateException("cannot receive() on " + this + ": it has a receiver callback");
        }
        Object item = awaitBriefly();
        try {
            if (item == null) {
                item = items.take(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecnetException("interrupted while receiving on " + this, e);
        }
        if (item == null) {
            throw new ChannelTimeoutException("no item after " + timeout + " on " + this, timeout);
        }
        if (item == END) {
            items.add(END);
            throw endException();
        }
        return unwrap(taken(item));
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
    private synchronized RuntimeException endException() {
        if (remoteError != null) {
            String error = remoteError;
            remoteError = null;
            return new RemoteException(error, "gateway " + connection.name() + ", channel " + id);
        }
        if (endCause instanceof ConnectionLostException lost) {
            return new ConnectionLostException(lost.getMessage(), lost.getCause());
        }
        return new ChannelClosedException(this + " is closed" + (endCause == null ? "" : ": " + endCause.getMessage()));
    }

    /** An item arrived (receiver thread): a payload to load, or large bytes read as they are. */
    void deliver(byte[] payload, byte[] bulk) {
        int bytes = bulk != null ? bulk.length + 6 : payload.length;
        Object item = bulk;
        if (bulk == null) {
            try {
                item = Loader.loadPayload(payload, 0, payload.length, strings, connection);
            } catch (LoadException e) {
                item = new Unloadable(e);
            }
        }
        delivery.lock();
        try {
            if (endDelivered) {
                return; // closed on this side meanwhile: nothing may follow the end
            }
            Consumer<Object> target = callback;
            if (target == null) {
                Object queued = item == null ? NONE : item;
                items.add(flow == null ? queued : new Sized(queued, bytes));
            } else {
                callSafely(target, item);
                if (flow != null) {
                    consumed(bytes);
                }
            }
        } finally {
            releaseDelivery();
        }
    }

    /**
     * Runs a callback; if it fails, the channel closes with the failure, as execnet does: the other
     * side sees it as a remote error, and this side's next {@link #waitClose} raises it.
     */
    private void callSafely(Consumer<Object> target, Object item) {
        try {
            target.accept(unwrap(item));
        } catch (RuntimeException | Error e) {
            callbackFailed(e);
            closeHere(stackTrace(e));
        }
    }

    /** Keeps the first failure of a callback for {@link #waitClose}, and reports it. */
    private void callbackFailed(Throwable failure) {
        synchronized (this) {
            if (callbackFailure == null) {
                callbackFailure = failure;
            }
        }
        Trace.warn("exception during callback of " + this, failure);
    }

    @Override
    public void setCallback(Consumer<Object> callback) {
        register(callback, null, false);
    }

    @Override
    public void setCallback(Consumer<Object> callback, Object endmarker) {
        register(callback, endmarker, true);
    }

    private void register(Consumer<Object> newCallback, Object marker, boolean withMarker) {
        delivery.lock();
        try {
            if (callback != null) {
                throw new IllegalStateException(this + " has a callback already");
            }
            endmarker = marker;
            wantsEndmarker = withMarker;
            callback = newCallback;
            for (Object item = items.poll(); item != null; item = items.poll()) {
                if (item == END) {
                    if (withMarker) {
                        callEndmarker(newCallback, marker);
                    }
                    return;
                }
                callSafely(newCallback, taken(item));
            }
        } finally {
            releaseDelivery();
        }
    }

    /** The peer closed its end (receiver thread): with an error, or only its sending (LAST_MESSAGE). */
    void closedByPeer(String error, boolean sendOnly) {
        boolean ended;
        synchronized (this) {
            if (error != null) {
                remoteError = error;
            }
            if (!sendOnly) {
                peerClosed = true;
                if (flow != null) {
                    flow.end();
                }
            }
            ended = markEnded();
        }
        if (ended) {
            deliverEnd();
        }
        if (!sendOnly) {
            connection.forget(this);
        }
    }

    /** The whole connection ended (receiver thread). */
    void connectionEnded(ChannelClosedException why) {
        boolean ended;
        if (flow != null) {
            flow.end();
        }
        synchronized (this) {
            peerClosed = true;
            if (!receiveEnded) {
                endCause = why; // a channel whose peer had finished sending ended cleanly before this
            }
            ended = markEnded();
        }
        if (ended) {
            deliverEnd();
        }
    }

    /** Marks the receiving side ended (under this channel's lock); true the first time only. */
    private boolean markEnded() {
        if (receiveEnded) {
            return false;
        }
        receiveEnded = true;
        notifyAll();
        return true;
    }

    /**
     * Queues the end marker, or hands the callback its end marker. Never waits for a callback that is
     * running: if one is, the thread running it delivers the end when it is done (see
     * {@link #releaseDelivery()}). So closing a channel from a thread that holds a lock a callback waits
     * for cannot deadlock.
     */
    private void deliverEnd() {
        endPending = true;
        if (delivery.tryLock()) {
            try {
                finishEnd();
            } finally {
                releaseDelivery();
            }
        }
    }

    /** Under the delivery lock: the end, once; then waitClose may return. */
    private void finishEnd() {
        if (endDelivered) {
            return;
        }
        endDelivered = true;
        Consumer<Object> target = callback;
        if (target == null) {
            items.add(END);
        } else if (wantsEndmarker) {
            callEndmarker(target, endmarker);
        }
        synchronized (this) {
            endSettled = true;
            notifyAll();
        }
    }

    /** Releases the delivery lock, then delivers an end that another thread could not while it was held. */
    private void releaseDelivery() {
        delivery.unlock();
        if (endPending && !endDelivered && delivery.tryLock()) {
            try {
                finishEnd();
            } finally {
                delivery.unlock();
            }
        }
    }

    private void callEndmarker(Consumer<Object> target, Object marker) {
        try {
            target.accept(marker);
        } catch (RuntimeException | Error e) {
            callbackFailed(e); // the channel has ended: the other side cannot be told, but waitClose here raises it
        }
    }

    // --- closing ---

    @Override
    public void close() {
        if (executing) {
            throw new IllegalStateException("cannot explicitly close " + this + " within its own remote execution:"
                    + " it closes when the code returns");
        }
        closeHere(null);
    }

    @Override
    public void close(String error) {
        if (executing) {
            throw new IllegalStateException("cannot explicitly close " + this + " within its own remote execution:"
                    + " throw an exception to end it with an error");
        }
        closeHere(error);
    }

    /** Closes this end, telling the peer unless it is gone; the end of a remote execution calls it too. */
    public void closeHere(String error) {
        // Made before anything changes: an error text that cannot be sent must not leave the channel half closed.
        byte[] errorPayload = error == null ? null : Dumper.dumpPayload(sendable(error), null);
        boolean tellPeer;
        synchronized (this) {
            if (closedHere) {
                return;
            }
            closedHere = true;
            tellPeer = !peerClosed;
        }
        if (flow != null) {
            flow.end();
        }
        if (tellPeer && connection.ended() == null) {
            try {
                if (errorPayload == null) {
                    connection.send(Frame.CHANNEL_CLOSE, id, Frame.EMPTY);
                } else {
                    connection.send(Frame.CHANNEL_CLOSE_ERROR, id, errorPayload);
                }
            } catch (ChannelClosedException gone) {
                // the connection went while closing: the peer learns of the end that way
            }
        }
        boolean ended;
        synchronized (this) {
            ended = markEnded();
        }
        if (ended) {
            deliverEnd();
        }
        connection.forget(this);
    }

    @Override
    public void waitClose() {
        waitCloseWithin(null);
    }

    @Override
    public void waitClose(Duration timeout) {
        waitCloseWithin(Timeouts.bounded(timeout));
    }

    /** Waits for the close at most {@code timeout}, or without a limit when it is null. */
    private void waitCloseWithin(Duration timeout) {
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        connection.flushBeforeWaiting();
        RuntimeException failure;
        synchronized (this) {
            while (!(receiveEnded && endSettled)) {
                try {
                    if (timeout == null) {
                        wait();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new ChannelTimeoutException(this + " still open after " + timeout, timeout);
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ExecnetException("interrupted while waiting for " + this + " to close", e);
                }
            }
            if (callbackFailure != null) {
                Throwable cause = callbackFailure;
                callbackFailure = null;
                failure = new ExecnetException("the callback of " + this + " failed, which closed the channel: " + cause, cause);
            } else if (remoteError == null && !(endCause instanceof ConnectionLostException)) {
                return;
            } else {
                failure = endException();
            }
        }
        throw failure;
    }

    @Override
    public boolean isClosed() {
        return closedHere || peerClosed;
    }

    @Override
    public Iterator<Object> iterator() {
        return new Iterator<>() {
            private Object next;
            private boolean ready;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (!ready && !done) {
                    try {
                        next = receive();
                        ready = true;
                    } catch (ConnectionLostException lost) {
                        throw lost;
                    } catch (ChannelClosedException end) {
                        done = true;
                    }
                }
                return ready;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(RealChannel.this + " is closed");
                }
                ready = false;
                return next;
            }
        };
    }

    @Override
    public OutputStream asOutputStream(boolean closeChannel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                try {
                    send(Arrays.copyOfRange(bytes, offset, offset + length));
                } catch (ChannelClosedException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                if (closeChannel) {
                    RealChannel.this.close();
                }
            }
        };
    }

    @Override
    public InputStream asInputStream(boolean closeChannel) {
        return new InputStream() {
            private byte[] chunk = new byte[0];
            private int at;
            private boolean eof;

            private boolean fill() throws IOException {
                while (at == chunk.length && !eof) {
                    Object item;
                    try {
                        item = receive();
                    } catch (ConnectionLostException | RemoteException e) {
                        throw new IOException(e.getMessage(), e);
                    } catch (ChannelClosedException end) {
                        eof = true;
                        break;
                    }
                    if (item instanceof byte[] bytes) {
                        chunk = bytes;
                    } else if (item instanceof String text) {
                        chunk = text.getBytes(StandardCharsets.UTF_8);
                    } else {
                        throw new IOException("item on " + RealChannel.this + " is "
                                + (item == null ? "null" : item.getClass().getName()) + ", not bytes or a string");
                    }
                    at = 0;
                }
                return at < chunk.length;
            }

            @Override
            public int read() throws IOException {
                return fill() ? chunk[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(length, chunk.length - at);
                System.arraycopy(chunk, at, buffer, offset, n);
                at += n;
                return n;
            }

            @Override
            public void close() {
                if (closeChannel) {
                    RealChannel.this.close();
                }
            }
        };
    }

    @Override
    public void reconfigure(org.jexecnet.StringCoercion named) {
        StringCoercion coercion = StringCoercion.of(named);
        strings = coercion;
        connection.send(Frame.RECONFIGURE, id, Connection.reconfigurePayload(coercion));
    }

    /**
     * The text a failure travels as: its stack trace, as execnet sends a traceback. Never fails, even
     * for an exception whose message or {@code toString} throws.
     */
    public static String stackTrace(Throwable failure) {
        try {
            StringWriter text = new StringWriter();
            failure.printStackTrace(new PrintWriter(text));
            return text.toString();
        } catch (Throwable unprintable) {
            return failure.getClass().getName() + " (its stack trace could not be printed: " + unprintable.getClass().getName() + ")";
        }
    }

    /** The text as the serializer can send it: a lone surrogate, which UTF-8 cannot encode, becomes '?'. */
    private static String sendable(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "<Channel id=" + id + (isClosed() ? " closed" : "") + " of " + connection.name() + ">";
    }
}
