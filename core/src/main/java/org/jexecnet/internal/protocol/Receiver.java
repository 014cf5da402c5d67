package org.jexecnet.internal.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.jexecnet.DataFormatException;
import org.jexecnet.Tuple;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;

/**
 * A connection's receiver thread: reads frames, loads values, and hands them on. It never waits but
 * for the peer's bytes: not for a consumer (queues take what arrives, callbacks have queues of their
 * own), not for a write (answers go to the connection's writes queue), not for the disk or an
 * execution (the role hands those on). The only locks it takes are held for moments: a channel's, the
 * runner's, the connection's state lock.
 *
 * <p>What it does not want, it does not read: a frame for a channel that was never opened (or is
 * closed) is skipped without allocating, and counted ({@link Connection#droppedFrames}). A peer that
 * asks for answers it does not read (STATUS) is cut off (see {@link Outbox}).
 */
final class Receiver {
    private final Connection connection;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Outbox outbox;
    private final Connection.Role role;
    private final FrameReader.Wanted wanted = this::wanted;
    /** What the peer said as it died (a CHANNEL_CLOSE_ERROR on channel 0), for the end's message. */
    private volatile String peerLastWords;
    /** The open channel {@link #wanted} found for the frame being read, or null: one lookup per frame. */
    private RealChannel target;

    Receiver(Connection connection, FrameReader reader, FrameWriter writer, Outbox outbox, Connection.Role role) {
        this.connection = connection;
        this.reader = reader;
        this.writer = writer;
        this.outbox = outbox;
        this.role = role;
    }

    String peerLastWords() {
        return peerLastWords;
    }

    void run() {
        Throwable cause = null;
        try {
            while (connection.phase() != Connection.Phase.ENDED) {
                Frame frame = reader.read(wanted);
                if (frame == null) {
                    if (connection.phase() != Connection.Phase.EXITING) {
                        cause = new EOFException("EOF without prior gateway termination message");
                    }
                    break;
                }
                writer.noteReceived();
                if (Trace.ON) {
                    Trace.log(connection.name() + " [receiver-thread] received " + frame);
                }
                if (frame.code() == Frame.GATEWAY_TERMINATE) {
                    break;
                }
                dispatch(frame);
                if (outbox.overflowed()) {
                    throw new ProtocolException("the peer asked for " + Outbox.MAX_UNANSWERED + " answers without reading them");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            cause = connection.phase() == Connection.Phase.EXITING && !(e instanceof Error) ? null : e;
        } finally {
            connection.end(cause);
        }
    }

    /** Frames for channels that are not open are not read (a CHANNEL_EXEC opens its own). */
    private boolean wanted(int code, int channelId) {
        target = null;
        return switch (code) {
            case Frame.CHANNEL_DATA, Frame.CHANNEL_CLOSE, Frame.CHANNEL_LAST_MESSAGE, Frame.CHANNEL_CREDIT -> opens(channelId);
            case Frame.CHANNEL_CLOSE_ERROR, Frame.RECONFIGURE -> channelId == 0 || opens(channelId);
            default -> true;
        };
    }

    private boolean opens(int channelId) {
        target = connection.openChannel(channelId);
        return target != null;
    }

    private void dispatch(Frame frame) throws IOException {
        int id = frame.channelId();
        switch (frame.code()) {
            case Frame.STATUS -> {
                outbox.answer(Frame.CHANNEL_DATA, id, Dumper.dumpPayload(role.status(connection.openChannels()), null));
                outbox.answer(Frame.CHANNEL_CLOSE, id, Frame.EMPTY);
            }
            case Frame.RECONFIGURE -> {
                StringCoercion coercion = readCoercion(frame);
                if (id == 0) {
                    connection.setStrings(coercion);
                } else {
                    target.setStrings(coercion);
                }
            }
            case Frame.CHANNEL_EXEC -> role.execute(connection.channelFor(id), frame.payload());
            case Frame.CHANNEL_DATA -> target.deliver(frame.payload(), frame.bulk()); // dropped there if closed since
            case Frame.CHANNEL_CLOSE, Frame.CHANNEL_CLOSE_ERROR, Frame.CHANNEL_LAST_MESSAGE -> {
                String error = frame.code() == Frame.CHANNEL_CLOSE_ERROR ? errorText(frame) : null;
                if (id == 0) {
                    peerLastWords = error; // the peer is dying, and says why
                    return;
                }
                target.closedByPeer(error, frame.code() == Frame.CHANNEL_LAST_MESSAGE);
            }
            case Frame.HEARTBEAT -> {
                if (frame.payload().length == 8) {
                    writer.notePeerRead(ByteBuffer.wrap(frame.payload()).getLong());
                }
            }
            case Frame.CHANNEL_CREDIT -> {
                if (frame.payload().length != 8) {
                    throw new ProtocolException("a CHANNEL_CREDIT of " + frame.payload().length + " bytes, not 8");
                }
                target.granted(ByteBuffer.wrap(frame.payload()).getLong());
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
}
