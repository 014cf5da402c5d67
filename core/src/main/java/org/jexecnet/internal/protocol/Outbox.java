package org.jexecnet.internal.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.serial.Dumper;

/**
 * What a connection writes off its callers' threads, as tasks of its writes queue, so that no thread
 * that must not wait ever writes: credit grants (a consumer's), answers to the peer's requests (the
 * receiver's), the exit, a dying end's last words. User sends do not come here: they write inline.
 *
 * <p>Answers are memory until written: a peer that asks for {@link #MAX_UNANSWERED} answers without
 * reading them is cut off. Grants are not: a channel is queued once however much it has to grant.
 */
final class Outbox {
    /** Answers (to STATUS, to a refused CHANNEL_EXEC) that may wait to be written at once. */
    static final int MAX_UNANSWERED = 4096;

    private final String name;
    private final FrameWriter writer;
    private final TaskQueue writes;
    /** Channels with credit to grant; the grant task writes what each has then. */
    private final ConcurrentLinkedQueue<RealChannel> grants = new ConcurrentLinkedQueue<>();
    private final Task grantTask = Task.of("credit grants", Task.Kind.MAY_BLOCK, this::writeGrants);
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile boolean overflowed;

    Outbox(String name, FrameWriter writer, TaskQueue writes) {
        this.name = name;
        this.writer = writer;
        this.writes = writes;
    }

    /** A channel has credit to grant: the grant task writes it, off the consumer's thread. */
    void grant(RealChannel channel) {
        grants.add(channel);
        writes.schedule(grantTask, 0);
    }

    private long writeGrants() {
        for (RealChannel channel = grants.poll(); channel != null; channel = grants.poll()) {
            long bytes = channel.takeGrant();
            if (bytes > 0 && !write(Frame.CHANNEL_CREDIT, channel.id(), ByteBuffer.allocate(8).putLong(bytes).array())) {
                return -1; // the connection is going: its end tells every waiting sender
            }
        }
        flush(); // a sender waits for these: they do not wait for the flush task
        return -1;
    }

    /** A frame for the receiver thread, which never writes: a task writes it, and flushes, since it is awaited. */
    void answer(int code, int channelId, byte[] payload) {
        if (unanswered.incrementAndGet() > MAX_UNANSWERED) {
            unanswered.decrementAndGet();
            overflowed = true;
            return;
        }
        writes.execute("answer", Task.Kind.MAY_BLOCK, () -> {
            unanswered.decrementAndGet();
            if (write(code, channelId, payload)) {
                flush();
            }
        });
    }

    /** Whether the peer asked for more answers than may wait (the receiver then ends the connection). */
    boolean overflowed() {
        return overflowed;
    }

    /** Tells the peer to terminate, then closes the stream: a task, since a peer that stopped reading could block it. */
    void exit() {
        writes.execute("exit", Task.Kind.MAY_BLOCK, () -> {
            if (Trace.ON) {
                Trace.log(name + " --> sending GATEWAY_TERMINATE");
            }
            write(Frame.GATEWAY_TERMINATE, 0, Frame.EMPTY);
            close();
        });
    }

    /**
     * The last thing a dying end says: why, as a CHANNEL_CLOSE_ERROR on channel 0, which the peer's end
     * names. Written by the calling thread, which is ending the JVM; best effort, since the stream may be
     * broken too. jexecnet peers only.
     */
    void lastWords(String why) {
        if (write(Frame.CHANNEL_CLOSE_ERROR, 0, Dumper.dumpPayload(why, null))) {
            flush();
        }
    }

    /** Writes a frame; false when the stream is broken or closed: the peer is gone, and the end says so. */
    private boolean write(int code, int channelId, byte[] payload) {
        try {
            writer.write(code, channelId, payload);
            if (Trace.ON) {
                Trace.log(name + " sent <Message " + Frame.name(code) + " channel=" + channelId + " lendata=" + payload.length + ">");
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends what the writer buffered, before a thread waits for the peer. */
    void flush() {
        try {
            writer.flushIfDirty();
        } catch (IOException e) {
            // the broken stream shows itself to the next sender, and the receiver sees the peer gone
        }
    }

    /** Closes the stream, so that the peer reads its end. */
    void close() {
        try {
            writer.close();
        } catch (IOException e) {
            // closing a broken pipe: the peer is gone, which is what closing wants
        }
    }
}
