package org.jexecnet.internal.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.DataFormatException;
import org.jexecnet.Gateway;
import org.jexecnet.RemoteStatus;
import org.jexecnet.Tuple;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.serial.ChannelRefs;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;

/**
 * One end of execnet's protocol: frames in and out, the channel registry, and the dispatch of every
 * message received. The same code runs on the master and on the worker; only the {@link Role} differs.
 *
 * <p>One receiver thread reads frames and hands them to channels. It runs no user code but channel
 * callbacks and never waits for a consumer: channel queues take whatever arrives.
 */
public final class Connection implements ChannelRefs {

    /** What differs between the two ends. */
    public interface Role {
        /** The first channel id this end allocates: 1 on the master, 2 on a worker. */
        int firstChannelId();

        /** Handles a CHANNEL_EXEC: a worker runs the code, a master refuses it. */
        void execute(RealChannel channel, byte[] payload);

        /** The answer to a STATUS request, as execnet's dict. */
        Map<String, Object> status(int openChannels);

        /** Called once when receiving has ended, after every channel learned of it. */
        void receivingEnded(Throwable cause);

        /**
         * What the transport said as the connection was lost, such as ssh's "Timeout, server not
         * responding": added to the message every channel gets. Empty when it said nothing.
         */
        default String lostDetail() {
            return "";
        }
    }

    private final String name;
    private final Role role;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Map<Integer, RealChannel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger nextId;
    private volatile StringCoercion strings = StringCoercion.CHANNEL_DEFAULT;
    private volatile Gateway owner;
    private volatile Thread receiver;
    private volatile boolean receiving = true;
    private volatile boolean exiting;
    /** Why receiving ended: null while receiving, or after an orderly end. */
    private volatile ChannelClosedException ended;
    private volatile Heartbeat heartbeat;
    /** Each channel's credit window in bytes (jexecnet peers); 0: no flow control, as towards Python. */
    private volatile long flowWindow;
    /** Writes credit grants, so that the receiver thread never blocks on a write (made on first use). */
    private volatile java.util.concurrent.ExecutorService control;
    private boolean controlClosed; // guarded by this
    /** Set when the peer fell silent: the reason receiving ends, whatever the reader then throws. */
    private volatile ConnectionLostException silence;
    /** Receiving is finished once: by the receive loop, or earlier by the liveness check. */
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    public Connection(String name, Role role, InputStream in, OutputStream out) {
        this.name = name;
        this.role = role;
        this.reader = new FrameReader(in);
        this.writer = new FrameWriter(out, name);
        this.nextId = new AtomicInteger(role.firstChannelId());
    }

    /** The name in traces and messages: the gateway id, with {@code -worker} on the worker. */
    public String name() {
        return name;
    }

    public Gateway owner() {
        return owner;
    }

    public void setOwner(Gateway owner) {
        this.owner = owner;
    }

    /**
     * Sends heartbeats and watches the peer's (jexecnet peers only): when nothing arrives for
     * {@code timeout}, the connection counts as lost and {@code onSilence} ends the transport.
     */
    public void startHeartbeat(Duration timeout, Runnable onSilence) {
        heartbeat = Heartbeat.start(this, timeout, onSilence);
    }

    /** How long the receiver has waited in a read that returned nothing yet (0 while it is not reading). */
    long readingFor() {
        return reader.readingFor();
    }

    /** Turns per-channel flow control on (before any channel is made; jexecnet peers only). */
    public void enableFlowControl(long window) {
        flowWindow = window;
    }

    long flowWindow() {
        return flowWindow;
    }

    /** Grants the peer credit on a channel, from a thread of its own: a write may wait on a full pipe. */
    void grant(int channelId, long bytes) {
        java.util.concurrent.ExecutorService writer = controlWriter();
        try {
            writer.execute(() -> {
                if (ended != null) {
                    return;
                }
                byte[] payload = java.nio.ByteBuffer.allocate(8).putLong(bytes).array();
                try {
                    this.writer.write(Frame.CHANNEL_CREDIT, channelId, payload);
                    this.writer.flushIfDirty();
                } catch (IOException e) {
                    // the connection is going: its end tells every waiting sender
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // receiving ended: nobody waits for credit any more
        }
    }

    private synchronized java.util.concurrent.ExecutorService controlWriter() {
        if (controlClosed) {
            throw new java.util.concurrent.RejectedExecutionException("the connection has ended");
        }
        if (control == null) {
            control = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "jexecnet-credit-" + name);
                thread.setDaemon(true);
                return thread;
            });
        }
        return control;
    }

    /** Sends one heartbeat; false once the stream is closed. */
    boolean sendHeartbeat() {
        if (ended != null) {
            return false;
        }
        try {
            writer.write(Frame.HEARTBEAT, 0, Frame.EMPTY);
            writer.flushIfDirty();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The peer said nothing for too long: the connection ends at once, so every waiting call gets this
     * reason, whether or not the transport can be ended; then the transport is ended.
     */
    void silent(Duration timeout, Runnable onSilence) {
        silence = new ConnectionLostException("no sign of life from " + name + " for " + timeout.toSeconds()
                + " s (heartbeat): the peer is stopped, hung or cut off", null);
        if (Trace.ON) {
            Trace.log(silence.getMessage());
        }
        // A thread of its own: ending runs channels' callbacks and may write or wait; the checker serves every connection.
        Thread ending = new Thread(() -> {
            finishReceiving(silence);
            onSilence.run();
        }, "jexecnet-end-" + name);
        ending.setDaemon(true);
        ending.start();
    }

    public void startReceiver(ThreadFactory threads) {
        Thread thread = threads.newThread(this::receiveLoop);
        thread.setName("jexecnet-receiver-" + name);
        receiver = thread;
        thread.start();
    }

    /** Whether the calling thread is this connection's receiver, which must never wait for the peer. */
    public boolean isReceiverThread() {
        return Thread.currentThread() == receiver;
    }

    public boolean isReceiving() {
        return receiving;
    }

    public StringCoercion strings() {
        return strings;
    }

    public RealChannel newChannel() {
        requireReceiving();
        return register(nextId.getAndAdd(2));
    }

    /** The channel with an id, created when this end has not seen it yet. */
    RealChannel channelFor(int id) {
        return channels.computeIfAbsent(id, k -> new RealChannel(this, k));
    }

    private RealChannel register(int id) {
        RealChannel channel = new RealChannel(this, id);
        channels.put(id, channel);
        // Receiving may have ended between the caller's check and the put, after the channels were told.
        ChannelClosedException why = ended;
        if (why != null) {
            channels.remove(id);
            channel.connectionEnded(why);
        }
        return channel;
    }

    void forget(RealChannel channel) {
        channels.remove(channel.id(), channel);
    }

    // --- ChannelRefs: how channels travel inside values ---

    @Override
    public int idOf(Object value) {
        return value instanceof RealChannel channel && channel.connection() == this ? channel.id() : -1;
    }

    @Override
    public Object channel(int id) {
        if (id <= 0) {
            throw new IllegalArgumentException("channel id " + id + " names no channel");
        }
        return channelFor(id);
    }

    // --- sending ---

    /** Sends a CHANNEL_EXEC on a new channel and returns that channel. */
    public RealChannel sendExec(byte[] payload) {
        RealChannel channel = newChannel();
        send(Frame.CHANNEL_EXEC, channel.id(), payload);
        return channel;
    }

    /** Asks the peer for its status on a fresh channel id, as execnet's {@code remote_status()}. */
    public RemoteStatus remoteStatus(Duration timeout) {
        RealChannel channel = newChannel();
        Object answer;
        try {
            send(Frame.STATUS, channel.id(), Frame.EMPTY);
            answer = channel.receive(timeout);
        } catch (ChannelTimeoutException e) {
            // The channel is the request's own, not one of the user's: the message names the gateway alone.
            throw new ChannelTimeoutException("gateway " + name + " sent no status within " + timeout, timeout);
        } finally {
            forget(channel); // answered or not, the id is spent
        }
        if (answer instanceof Map<?, ?> status && status.get("numchannels") instanceof Integer channels
                && status.get("numexecuting") instanceof Integer executing) {
            return new RemoteStatus(channels, executing, String.valueOf(status.get("execmodel")));
        }
        throw new ConnectionLostException(name + " answered a status request with " + answer + ", not a status", null);
    }

    public void reconfigure(StringCoercion coercion) {
        strings = coercion;
        send(Frame.RECONFIGURE, 0, reconfigurePayload(coercion));
    }

    static byte[] reconfigurePayload(StringCoercion coercion) {
        return Dumper.dumpPayload(Tuple.of(coercion.py2strAsPy3str(), coercion.py3strAsPy2str()), null);
    }

    void send(int code, int channelId, byte[] payload) {
        send(code, channelId, payload, null);
    }

    /** Sends a frame whose payload is {@code prefix} then {@code body} and a STOP: see {@link FrameWriter}. */
    void send(int code, int channelId, byte[] payload, byte[] body) {
        requireReceiving();
        try {
            writer.write(code, channelId, payload, body);
            if (Trace.ON) {
                Trace.log(name + " sent <Message " + Frame.name(code) + " channel=" + channelId + " lendata=" + payload.length + ">");
            }
        } catch (IOException e) {
            // A write that fails after the connection was given up (a silent peer, whose transport is then ended)
            // failed for that reason, whichever of the two this thread noticed first.
            ChannelClosedException why = silence != null ? silence : ended;
            if (why instanceof ConnectionLostException lost) {
                throw new ConnectionLostException(lost.getMessage(), e);
            }
            throw new ConnectionLostException("cannot send to " + name + ": " + e.getMessage(), e);
        }
    }

    private void requireReceiving() {
        ChannelClosedException why = ended;
        if (why != null) {
            throw why instanceof ConnectionLostException lost ? new ConnectionLostException(lost.getMessage(), lost.getCause())
                    : new ChannelClosedException(why.getMessage());
        }
        if (exiting) {
            throw new ChannelClosedException("gateway " + name + " is exiting");
        }
    }

    /**
     * Tells the peer to terminate and closes the outgoing stream: execnet's {@code exit()}. Later sends
     * fail; receiving goes on until the peer closes its side. Does not wait: a peer that stopped
     * reading could block the telling, so a thread of its own does it.
     */
    public void exit() {
        if (exiting || ended != null) {
            return;
        }
        exiting = true;
        channels.values().forEach(RealChannel::stopSending); // later sends fail anyway: nobody may wait for credit
        Thread telling = new Thread(() -> {
            if (Trace.ON) {
                Trace.log(name + " --> sending GATEWAY_TERMINATE");
            }
            try {
                writer.write(Frame.GATEWAY_TERMINATE, 0, Frame.EMPTY);
            } catch (IOException e) {
                // the peer is gone already: nothing to tell it
            }
            closeOutput();
        }, "jexecnet-exit-" + name);
        telling.setDaemon(true);
        telling.start();
    }

    /** Sends what the writer buffered, before this thread waits for the peer. */
    void flushBeforeWaiting() {
        try {
            writer.flushIfDirty();
        } catch (IOException e) {
            // the broken stream shows itself to the next sender, and the receiver sees the peer gone
        }
    }

    public void closeOutput() {
        try {
            writer.close();
        } catch (IOException e) {
            // closing a broken pipe: the peer is gone, which is what closing wants
        }
    }

    // --- receiving ---

    private void receiveLoop() {
        Throwable cause = null;
        try {
            while (true) {
                Frame frame = reader.read();
                if (frame == null) {
                    if (!exiting) {
                        cause = new EOFException("EOF without prior gateway termination message");
                    }
                    break;
                }
                writer.noteReceived();
                if (Trace.ON) {
                    Trace.log(name + " [receiver-thread] received " + frame);
                }
                if (frame.code() == Frame.GATEWAY_TERMINATE) {
                    break;
                }
                if (frame.code() == Frame.HEARTBEAT) {
                    continue; // its arrival was the point
                }
                if (frame.code() == Frame.CHANNEL_CREDIT) {
                    if (frame.payload().length != 8) {
                        throw new ProtocolException("a CHANNEL_CREDIT of " + frame.payload().length + " bytes, not 8");
                    }
                    RealChannel channel = channels.get(frame.channelId());
                    if (channel != null) {
                        channel.granted(java.nio.ByteBuffer.wrap(frame.payload()).getLong());
                    }
                    continue;
                }
                dispatch(frame);
            }
        } catch (IOException | RuntimeException | Error e) {
            cause = exiting ? null : e;
        } finally {
            finishReceiving(cause);
        }
    }

    private void dispatch(Frame frame) throws IOException {
        int id = frame.channelId();
        switch (frame.code()) {
            case Frame.STATUS -> {
                byte[] status = Dumper.dumpPayload(role.status(channels.size()), null);
                writer.write(Frame.CHANNEL_DATA, id, status);
                writer.write(Frame.CHANNEL_CLOSE, id, Frame.EMPTY);
            }
            case Frame.RECONFIGURE -> {
                StringCoercion coercion = readCoercion(frame);
                if (id == 0) {
                    strings = coercion;
                } else {
                    channelFor(id).setStrings(coercion);
                }
            }
            case Frame.CHANNEL_EXEC -> role.execute(channelFor(id), frame.payload());
            case Frame.CHANNEL_DATA -> {
                RealChannel channel = channels.get(id);
                if (channel != null) {
                    channel.deliver(frame.payload(), frame.bulk());
                } else if (Trace.ON) {
                    Trace.log(name + " dropped data for unknown channel " + id);
                }
            }
            case Frame.CHANNEL_CLOSE, Frame.CHANNEL_CLOSE_ERROR, Frame.CHANNEL_LAST_MESSAGE -> {
                RealChannel channel = channels.get(id);
                if (channel != null) {
                    String error = frame.code() == Frame.CHANNEL_CLOSE_ERROR ? errorText(frame) : null;
                    channel.closedByPeer(error, frame.code() == Frame.CHANNEL_LAST_MESSAGE);
                }
            }
            default -> throw new ProtocolException("unexpected " + frame);
        }
    }

    private static StringCoercion readCoercion(Frame frame) throws ProtocolException {
        try {
            if (Loader.loadPayload(frame.payload(), 0, frame.payload().length, StringCoercion.PLAIN, null) instanceof Tuple t
                    && t.size() == 2 && t.get(0) instanceof Boolean py2 && t.get(1) instanceof Boolean py3) {
                return new StringCoercion(py2, py3);
            }
        } catch (DataFormatException e) {
            throw new ProtocolException("unreadable RECONFIGURE payload: " + e.getMessage());
        }
        throw new ProtocolException("RECONFIGURE payload is not a pair of booleans");
    }

    /** A CHANNEL_CLOSE_ERROR's text: execnet sends a str; anything else is shown as it loads. */
    private static String errorText(Frame frame) {
        try {
            Object error = Loader.loadPayload(frame.payload(), 0, frame.payload().length, StringCoercion.CHANNEL_DEFAULT, null);
            return error instanceof String text ? text : String.valueOf(error);
        } catch (DataFormatException e) {
            return "(an unreadable error: " + e.getMessage() + ")";
        }
    }

    private void finishReceiving(Throwable cause) {
        if (!finished.compareAndSet(false, true)) {
            return; // a silent peer ended it already, from the liveness check
        }
        if (Trace.ON) {
            Trace.log(name + " [receiver-thread] receiving ended" + (cause == null ? "" : ": " + cause));
        }
        Heartbeat beating = heartbeat;
        if (beating != null) {
            beating.stop();
        }
        synchronized (this) {
            controlClosed = true;
            if (control != null) {
                control.shutdown();
            }
        }
        if (silence != null) {
            cause = silence;
        }
        ended = cause == null
                ? new ChannelClosedException("gateway " + name + " has exited")
                : cause == silence ? silence
                : new ConnectionLostException("connection to " + name + " lost: " + describe(cause) + detail(), cause);
        receiving = false;
        List<RealChannel> open = new ArrayList<>(channels.values());
        channels.clear();
        for (RealChannel channel : open) {
            channel.connectionEnded(ended);
        }
        role.receivingEnded(cause);
    }

    private String detail() {
        String detail = role.lostDetail();
        return detail.isEmpty() ? "" : "; " + detail;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** Why the connection ended: null while it is up. */
    ChannelClosedException ended() {
        return ended;
    }
}
