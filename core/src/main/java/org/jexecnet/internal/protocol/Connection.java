package org.jexecnet.internal.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.Gateway;
import org.jexecnet.Tuple;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.serial.ChannelRefs;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.StringCoercion;

/**
 * One end of execnet's protocol: frames in and out, the channel registry, and the connection's life.
 * The same code runs on the master and on the worker; only the {@link Role} differs. (OkHttp's
 * Http2Connection has this shape: a reader that hands on, writes under one lock, a task queue.)
 *
 * <p><b>Threads.</b>
 * <ul>
 *   <li>One receiver thread ({@link Receiver}) reads frames, loads values and hands them on: to a
 *       channel's queue, to a channel's callback queue, to the role (CHANNEL_EXEC), to the
 *       {@link #writes} queue (answers). It runs no user code, touches no disk, and never waits for a
 *       consumer or a write.
 *   <li>Callers' threads send inline, as a frame written under the writer's lock: a round trip pays
 *       for no hand-off. They receive from the channels' queues.
 *   <li>Everything else is a task of the shared {@link TaskRunner}, in queues of this connection's:
 *       {@link #writes} (credit grants, delayed flushes, answers to the peer's requests, heartbeats, the
 *       exit), {@link #checks} (silence, sends stuck on credit), one per callback channel, and the
 *       role's own (the worker's executions).
 * </ul>
 *
 * <p><b>State.</b> {@link Phase#OPEN}, then {@link Phase#EXITING} once {@link #exit} told the peer to
 * end (sends fail, receiving goes on until the peer closes), then {@link Phase#ENDED} with a cause;
 * or straight from open to ended. {@link #end} is the one way into "ended", whoever ends it: the
 * receiver (end of stream, GATEWAY_TERMINATE, a protocol error, an Error) or the silence check. It
 * runs once: it records why, tells every channel, stops the checks, and tells the role.
 *
 * <p><b>Locks.</b> {@link #stateLock} guards {@code phase} and {@code endCause} (volatile for lock-free
 * reads), which change together; it is held only to read and set those, never while another lock is
 * taken. The registry has its own lock (see {@link ChannelRegistry}), each channel its own (see
 * {@link RealChannel}), the writer its own (see {@link FrameWriter}). Order: a channel's lock or the
 * writer's may be held while the runner's is taken, never the other way round.
 *
 * <p>(Longer than this package's other files: the connection's state, the sending that checks it and
 * the end that changes it are kept in one place, where the state machine can be read whole; the
 * receiving, the writes off callers' threads and the registry are classes of their own.)
 */
public final class Connection implements ChannelRefs {

    /** What differs between the two ends. */
    public interface Role {
        /** The first channel id this end allocates: 1 on the master, 2 on a worker. */
        int firstChannelId();

        /**
         * Handles a CHANNEL_EXEC, on the receiver thread: decode the payload there (channels inside it
         * must exist before anything arrives on them) and hand the rest on; a master refuses it.
         */
        void execute(RealChannel channel, byte[] payload);

        /** The answer to a STATUS request, as execnet's dict (receiver thread). */
        Map<String, Object> status(int openChannels);

        /** Called once when the connection has ended, after every channel learned of it. Must not block. */
        void receivingEnded(Throwable cause);

        /**
         * What the transport said as the connection was lost, such as ssh's "Timeout, server not
         * responding": added to the message every channel gets. Empty when it said nothing.
         */
        default String lostDetail() {
            return "";
        }
    }

    /** Where a connection is in its life. */
    public enum Phase { OPEN, EXITING, ENDED }

    /** How heartbeats go out (see {@link Heartbeat}). */
    public enum Heartbeats {
        /** In their turn on a worker thread of the runner: they may wait on a full pipe. A worker's. */
        WAIT_THEIR_TURN,
        /** From the timer thread, left out rather than wait: a master's, which must cost no thread. */
        NEVER_WAIT
    }

    /** How long a send may wait for credit before it is reported, when there is no heartbeat to go by. */
    private static final Duration DEFAULT_WARNING_DELAY = Duration.ofMillis(1600);

    private final String name;
    private final Role role;
    private final TaskRunner runner;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Receiver receiver;
    private final Outbox outbox;
    /** Frames written off their callers' threads: grants, answers, delayed flushes, heartbeats, the exit. */
    private final TaskQueue writes;
    /** Quick checks: silence, stuck sends. */
    private final TaskQueue checks;
    private final ChannelRegistry channels;
    private final ReentrantLock stateLock = new ReentrantLock();
    private final CountDownLatch endedLatch = new CountDownLatch(1);
    private final FlowControl.Stretch stretch = FlowControl.Stretch.forThisJvm();
    private volatile Phase phase = Phase.OPEN;
    private volatile ChannelClosedException endCause;
    private volatile StringCoercion strings = StringCoercion.CHANNEL_DEFAULT;
    private volatile Gateway owner;
    private volatile Thread receiverThread;
    private volatile Heartbeat heartbeat;
    /** Each channel's credit window in bytes (jexecnet peers); 0: no flow control, as towards Python. */
    private volatile long flowWindow;
    /** Where warnings for the user go: the trace's warning, or a test's list. */
    private volatile Consumer<String> warnings = Trace::warn;

    public Connection(String name, Role role, InputStream in, OutputStream out) {
        this(name, role, in, out, TaskRunner.shared());
    }

    /** A connection whose background work runs on {@code runner}: a manual one in tests of timing. */
    public Connection(String name, Role role, InputStream in, OutputStream out, TaskRunner runner) {
        this.name = name;
        this.role = role;
        this.runner = runner;
        this.writes = runner.newQueue("writes of " + name);
        this.checks = runner.newQueue("checks of " + name);
        this.reader = new FrameReader(in, runner.clock(), FrameReader.defaultMaxFrame());
        this.writer = new FrameWriter(out, name, runner.clock(), writes);
        this.outbox = new Outbox(name, writer, writes);
        this.receiver = new Receiver(this, reader, writer, outbox, role);
        this.channels = new ChannelRegistry(role.firstChannelId());
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

    /** Turns per-channel flow control on (before any channel is made; jexecnet peers only). */
    public void enableFlowControl(long window) {
        flowWindow = window;
    }

    /**
     * Sends heartbeats and watches the peer's (jexecnet peers only): when nothing arrives for
     * {@code timeout}, the connection ends as lost and {@code onSilence} ends the transport.
     */
    public void startHeartbeat(Duration timeout, Runnable onSilence, Heartbeats how) {
        heartbeat = Heartbeat.start(this, timeout, onSilence, how);
    }

    public void startReceiver(ThreadFactory threads) {
        Thread thread = threads.newThread(receiver::run);
        thread.setName("jexecnet-receiver-" + name);
        receiverThread = thread;
        thread.start();
    }

    /** Whether the calling thread is this connection's receiver, which must never wait for the peer. */
    public boolean isReceiverThread() {
        return Thread.currentThread() == receiverThread;
    }

    public Phase phase() {
        return phase;
    }

    /** Whether the connection has not ended yet: it still receives. */
    public boolean isReceiving() {
        return phase != Phase.ENDED;
    }

    /** Frames the peer sent for channels that were never opened (or are closed): dropped, unread. */
    public long droppedFrames() {
        return reader.skipped();
    }

    public StringCoercion strings() {
        return strings;
    }

    void setStrings(StringCoercion coercion) {
        strings = coercion;
    }

    /** A task queue on this connection's runner, for a role's or a channel's own work. */
    public TaskQueue newTaskQueue(String queueName) {
        return runner.newQueue(queueName + " (" + name + ")");
    }

    TaskQueue writes() {
        return writes;
    }

    TaskQueue checks() {
        return checks;
    }

    TaskRunner.Clock clock() {
        return runner.clock();
    }

    long flowWindow() {
        return flowWindow;
    }

    FlowControl.Stretch stretch() {
        return stretch;
    }

    /** Reports a condition the user should act on (a send stuck on credit). */
    void warn(String message) {
        warnings.accept(message);
    }

    /** Sends warnings elsewhere: for tests, which cannot read the System.Logger. */
    void warnTo(Consumer<String> sink) {
        warnings = sink;
    }

    /** How long a send waits for credit before it is reported: the heartbeat's interval. */
    Duration creditWarningDelay() {
        Heartbeat beating = heartbeat;
        return beating == null ? DEFAULT_WARNING_DELAY : beating.interval();
    }

    /** Reads of the peer's stream so far, for heartbeats. */
    long bytesRead() {
        return reader.bytesRead();
    }

    /** How long the receiver has waited in a read that returned nothing yet, by the runner's clock. */
    long readingFor(long now) {
        return reader.readingFor(now);
    }

    FrameWriter writer() {
        return writer;
    }

    // --- channels ---

    public RealChannel newChannel() {
        requireOpen();
        return register(channels.allocate());
    }

    /** The channel with an id, opened when this end has not seen it yet (receiver thread). */
    RealChannel channelFor(int id) {
        RealChannel channel = channels.get(id);
        return channel != null ? channel : register(id);
    }

    /** An open channel, or null for an id never opened or closed since. */
    RealChannel openChannel(int id) {
        return channels.get(id);
    }

    int openChannels() {
        return channels.size();
    }

    private RealChannel register(int id) {
        RealChannel channel = channels.open(id, made -> new RealChannel(this, made));
        if (channel == null) { // the end closed the registry: this one is born ended
            channel = new RealChannel(this, id);
            channel.connectionEnded(endCause);
        }
        return channel;
    }

    void forget(RealChannel channel) {
        channels.remove(channel);
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

    /**
     * Sends a frame whose payload is {@code prefix} then {@code body} and a STOP: see {@link FrameWriter}.
     * On the receiver thread, which must never wait for a write, the frame goes to {@link #writes}.
     */
    void send(int code, int channelId, byte[] payload, byte[] body) {
        requireOpen();
        if (isReceiverThread()) {
            outbox.answer(code, channelId, payload);
            return;
        }
        try {
            writer.write(code, channelId, payload, body);
            if (Trace.ON) {
                Trace.log(name + " sent <Message " + Frame.name(code) + " channel=" + channelId + " lendata=" + payload.length + ">");
            }
        } catch (IOException e) {
            throw lostWhileWriting(e);
        }
    }

    /**
     * A write failed: the peer stopped reading, so it is going, and how it went (an error it reported,
     * its exit status) usually follows on the receiver within moments. That is what the sender hears,
     * when it comes within two seconds.
     */
    private ConnectionLostException lostWhileWriting(IOException e) {
        try {
            endedLatch.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (endCause instanceof ConnectionLostException lost) {
            return new ConnectionLostException(lost.getMessage(), lost.getCause());
        }
        return new ConnectionLostException("cannot send to " + name + ": " + e.getMessage(), e);
    }

    private void requireOpen() {
        ChannelClosedException why = endCause;
        if (why != null) {
            throw why instanceof ConnectionLostException lost ? new ConnectionLostException(lost.getMessage(), lost.getCause())
                    : new ChannelClosedException(why.getMessage());
        }
        if (phase == Phase.EXITING) {
            throw new ChannelClosedException("gateway " + name + " is exiting");
        }
    }

    /** A channel has credit to grant: the outbox writes it, off the consumer's thread. */
    void requestGrant(RealChannel channel) {
        outbox.grant(channel);
    }

    /** Sends what the writer buffered, before this thread waits for the peer. */
    void flushBeforeWaiting() {
        outbox.flush();
    }

    /**
     * Tells the peer to terminate and closes the outgoing stream: execnet's {@code exit()}. Later sends
     * fail; receiving goes on until the peer closes its side. Does not wait: a peer that stopped reading
     * could block the telling, so a task does it.
     */
    public void exit() {
        stateLock.lock();
        try {
            if (phase != Phase.OPEN) {
                return;
            }
            phase = Phase.EXITING;
        } finally {
            stateLock.unlock();
        }
        channels.forEach(RealChannel::stopSending); // later sends fail anyway: nobody may wait for credit
        outbox.exit();
    }

    /** A dying end's last words to a jexecnet peer: why (see {@link Outbox#lastWords}). */
    public void sendLastWords(String why) {
        outbox.lastWords(why);
    }

    public void closeOutput() {
        outbox.close();
    }

    // --- the end ---

    /**
     * The peer said nothing for too long: the connection ends at once, so every waiting call gets this
     * reason whether or not the transport can be ended; then a task of its own ends the transport.
     */
    void silent(Duration timeout, Runnable onSilence) {
        ConnectionLostException silence = new ConnectionLostException("no sign of life from " + name + " for "
                + timeout.toSeconds() + " s (heartbeat): the peer is stopped, hung or cut off", null);
        if (Trace.ON) {
            Trace.log(silence.getMessage());
        }
        end(silence);
        runner.newQueue("end of " + name).execute("ending the transport of " + name, Task.Kind.MAY_BLOCK, onSilence);
    }

    /**
     * The one way into {@link Phase#ENDED}; the first call wins, later ones do nothing. Tells every
     * channel, then the role. Never blocks but to describe a lost connection (the role's last words of
     * the transport), which only the receiver thread asks for.
     *
     * @param cause null for an orderly end; the silence; or what broke the connection
     */
    void end(Throwable cause) {
        if (phase == Phase.ENDED) {
            return;
        }
        ChannelClosedException why = reason(cause);
        stateLock.lock();
        try {
            if (phase == Phase.ENDED) {
                return;
            }
            endCause = why;
            phase = Phase.ENDED;
        } finally {
            stateLock.unlock();
        }
        if (Trace.ON) {
            Trace.log(name + " [receiver-thread] receiving ended" + (cause == null ? "" : ": " + cause));
        }
        Heartbeat beating = heartbeat;
        if (beating != null) {
            beating.stop();
        }
        checks.shutdown();
        for (RealChannel channel : channels.close()) {
            channel.connectionEnded(why);
        }
        endedLatch.countDown();
        role.receivingEnded(cause);
    }

    private ChannelClosedException reason(Throwable cause) {
        if (cause == null) {
            return new ChannelClosedException("gateway " + name + " has exited");
        }
        if (cause instanceof ConnectionLostException lost) {
            return lost;
        }
        String lastWords = receiver.peerLastWords();
        String detail = role.lostDetail();
        return new ConnectionLostException("connection to " + name + " lost: " + (lastWords != null ? lastWords : describe(cause))
                + (detail.isEmpty() ? "" : "; " + detail), cause);
    }

    /** An Error is named by its class, which says more than its message ("Java heap space"). */
    private static String describe(Throwable cause) {
        if (cause instanceof Error) {
            return cause.toString();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** Why the connection ended: null while it has not. */
    ChannelClosedException endCause() {
        return endCause;
    }
}
