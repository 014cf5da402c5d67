package org.jexecnet.internal.protocol;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jexecnet.Channel;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.ExecnetException;
import org.jexecnet.Gateway;
import org.jexecnet.LoadException;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;

/**
 * A channel, as execnet's: its sending side here, its receiving side in its {@link Inbox}, its credit
 * in its {@link FlowControl}; a closed channel refuses to send.
 *
 * <p><b>The lock.</b> Each channel has one lock, {@link #lock}, made here and shared by its inbox and
 * its credit: the engine never locks this object, which users hold. The lock is never held while user
 * code runs, while a frame is written, or while another channel's lock is taken; the conditions of the
 * inbox (the end has settled) and of the credit (credit arrived) are the only waits under it. Under it
 * are the inbox's state and the decision to close here, once; {@code closedHere} and {@code peerClosed}
 * only go from false to true, and are volatile for the lock-free checks of {@link #send}.
 *
 * <p>Items are loaded on the receiver thread as they arrive, as execnet does, so that a channel sent
 * inside an item exists before anything arrives on it.
 */
public final class RealChannel implements Channel {
    private final Connection connection;
    private final int id;
    private final ReentrantLock lock = new ReentrantLock();
    /** The credit window both ways; null without flow control (a Python peer). */
    private final FlowControl flow;
    private final Inbox inbox;
    private volatile StringCoercion strings;
    /** True while this channel's own remote execution runs on this side. */
    private volatile boolean executing;
    private volatile boolean closedHere;
    private volatile boolean peerClosed;

    RealChannel(Connection connection, int id) {
        this.connection = connection;
        this.id = id;
        this.strings = connection.strings();
        long window = connection.flowWindow();
        this.flow = window > 0 ? new FlowControl(window, connection.stretch(), lock, () -> connection.requestGrant(this)) : null;
        this.inbox = new Inbox(this, connection, lock, flow);
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
        sendWithin(item, -1);
    }

    @Override
    public void send(Object item, Duration timeout) {
        sendWithin(item, Timeouts.nanos(timeout));
    }

    /** Sends, waiting for credit at most {@code timeoutNanos}, or as long as it takes when negative. */
    private void sendWithin(Object item, long timeoutNanos) {
        if (closedHere || peerClosed) {
            throw new ChannelClosedException("cannot send to " + this + ": it is closed");
        }
        // Serialized first: an unsupported value fails here, before it takes credit or waits for it.
        byte[] body = item instanceof byte[] bytes ? bytes : null;
        byte[] payload = body != null ? bytesPrefix(body.length) : Dumper.dumpPayload(item, connection);
        if (flow != null) {
            long bytes = payload.length + (body == null ? 0 : body.length + 1);
            if (!flow.tryAcquire(bytes)) {
                awaitCredit(bytes, timeoutNanos);
            }
        }
        // Bulk data goes out as it is: the frame's payload is written around the caller's array.
        connection.send(Frame.CHANNEL_DATA, id, payload, body);
    }

    /**
     * Waits until the receiver has room for {@code bytes} more; the channel's end ends the wait with its
     * reason. A wait longer than the heartbeat interval is reported once, with the way out.
     */
    private void awaitCredit(long bytes, long timeoutNanos) {
        connection.flushBeforeWaiting(); // the receiver needs what is buffered before it can grant anything
        Task warning = Task.once("stuck send on " + this, Task.Kind.QUICK,
                () -> connection.warn("a send on " + this + " has waited " + connection.creditWarningDelay().toMillis()
                        + " ms so far: " + stuck()));
        connection.checks().schedule(warning, connection.creditWarningDelay().toNanos());
        FlowControl.Credit result;
        try {
            result = flow.await(bytes, timeoutNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecnetException("interrupted while sending on " + this, e);
        } finally {
            connection.checks().cancel(warning);
        }
        if (result == FlowControl.Credit.TIMED_OUT) {
            Duration timeout = Duration.ofNanos(timeoutNanos);
            throw new ChannelTimeoutException("cannot send on " + this + " within " + timeout + ": " + stuck(), timeout);
        }
        if (result == FlowControl.Credit.ENDED) {
            ChannelClosedException why = connection.endCause();
            if (why instanceof ConnectionLostException lost) {
                throw new ConnectionLostException(lost.getMessage(), lost.getCause());
            }
            throw new ChannelClosedException("cannot send to " + this + ": it closed while the send waited for the receiver");
        }
    }

    /** Why a send waits, and what to do about it. */
    private String stuck() {
        return "the receiver has not taken the " + flow.unconsumed() + " bytes sent before it on channel " + id + " of gateway "
                + connection.name() + ". The other side must receive from this channel (or set a callback on it), from a thread"
                + " that is not waiting to send on it; beyond " + (FlowControl.Stretch.MAX >> 20) + " MiB unread, give the"
                + " gateway a larger window= in its spec (window=0 turns flow control off)";
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

    /** The credit to grant the peer now (for the connection's grant task). */
    long takeGrant() {
        return flow == null ? 0 : flow.takeGrant();
    }

    /** The serializer's {@code A} opcode and length, which precede a bytes value. */
    private static byte[] bytesPrefix(int length) {
        return new byte[] {'A', (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    // --- receiving ---

    @Override
    public Object receive() {
        return inbox.receive(-1, null);
    }

    @Override
    public Object receive(Duration timeout) {
        return inbox.receive(Timeouts.nanos(timeout), timeout);
    }

    /**
     * Receives an answer the engine itself asked for (a class from the master), also inside a callback:
     * the answer needs nothing of the callback's channel, which the rule for callbacks protects.
     */
    public Object receiveAnswer(Duration timeout) {
        return inbox.receiveAnswer(Timeouts.nanos(timeout), timeout);
    }

    /** An item arrived (receiver thread): a payload to load, or large bytes read as they are. */
    void deliver(byte[] payload, byte[] bulk) {
        Object item = bulk;
        if (bulk == null) {
            try {
                item = Loader.loadPayload(payload, 0, payload.length, strings, connection);
            } catch (LoadException e) {
                item = new Inbox.Unloadable(e);
            }
        }
        inbox.arrived(item, bulk != null ? bulk.length + 6 : payload.length);
    }

    @Override
    public void setCallback(Consumer<Object> callback) {
        inbox.setCallback(callback, Inbox.NO_ENDMARKER);
    }

    @Override
    public void setCallback(Consumer<Object> callback, Object endmarker) {
        inbox.setCallback(callback, endmarker);
    }

    // --- the end ---

    /** The peer closed its end (receiver thread): with an error, or only its sending (LAST_MESSAGE). */
    void closedByPeer(String error, boolean sendOnly) {
        if (closedHere) {
            return; // closed on this side meanwhile: its end stands
        }
        if (!sendOnly) {
            peerClosed = true;
        }
        inbox.peerEnded(error);
        if (!sendOnly) {
            if (flow != null) {
                flow.end();
            }
            connection.forget(this);
        }
    }

    /** The whole connection ended. */
    void connectionEnded(ChannelClosedException why) {
        if (flow != null) {
            flow.end();
        }
        peerClosed = true;
        inbox.connectionEnded(why);
    }

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
        lock.lock();
        try {
            if (closedHere) {
                return;
            }
            closedHere = true;
            tellPeer = !peerClosed;
        } finally {
            lock.unlock();
        }
        if (flow != null) {
            flow.end();
        }
        if (tellPeer && connection.endCause() == null) {
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
        inbox.closedHere();
        connection.forget(this);
    }

    @Override
    public void waitClose() {
        inbox.waitClose(-1, null);
    }

    @Override
    public void waitClose(Duration timeout) {
        inbox.waitClose(Timeouts.nanos(timeout), timeout);
    }

    @Override
    public boolean isClosed() {
        return closedHere || peerClosed;
    }

    @Override
    public Iterator<Object> iterator() {
        return ChannelStreams.iterator(this);
    }

    @Override
    public OutputStream asOutputStream(StreamClose onClose) {
        return ChannelStreams.output(this, onClose);
    }

    @Override
    public InputStream asInputStream(StreamClose onClose) {
        return ChannelStreams.input(this, onClose);
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
