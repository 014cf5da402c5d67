package org.jexecnet.internal.worker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.jexecnet.DataFormatException;
import org.jexecnet.ExecModel;
import org.jexecnet.Tuple;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;

/**
 * What a worker JVM learns from its master before the protocol's frames begin: the gateway it serves
 * and how. It travels on the protocol input rather than the command line, so that a worker can be
 * started before anyone knows which gateway it will serve: a spare ({@code Group.prestart}) boots,
 * warms up and then waits here. A popen master writes it right after starting the process, so it is
 * waiting in the pipe by the time the JVM is up, and costs no round trip.
 *
 * <p>On the wire: an int32 length (at most {@link #MAX_BYTES}), then a serializer payload
 * {@code ("jexecnet-session/1", id, execmodel, heartbeat seconds, window bytes)}.
 *
 * @param id the gateway id, which remote code sees as {@code channel.gateway().id()}
 * @param model how the worker runs executions
 * @param heartbeatSeconds seconds of the master's silence after which the worker gives up; 0: none
 * @param windowBytes each channel's flow-control window; 0: no flow control
 */
public record WorkerSession(String id, ExecModel model, int heartbeatSeconds, int windowBytes) {
    private static final String TAG = "jexecnet-session/1";
    /** Far above any real session: an id is a short name. */
    static final int MAX_BYTES = 64 * 1024;

    /**
     * @throws IllegalArgumentException when a number is negative
     */
    public WorkerSession {
        if (heartbeatSeconds < 0 || windowBytes < 0) {
            throw new IllegalArgumentException("heartbeat seconds and window bytes cannot be negative: " + heartbeatSeconds + ", "
                    + windowBytes);
        }
    }

    /** The bytes a master writes: the length, then the payload. */
    public byte[] encode() {
        byte[] payload = Dumper.dumpPayload(Tuple.of(TAG, id, model.specName(), heartbeatSeconds, windowBytes), null);
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    /**
     * Reads a session from the master.
     *
     * @return the session, or null when the input ended before it began (the master went away first)
     * @throws IOException when the bytes are not a session, with the reason
     */
    static WorkerSession read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.read();
        if (first < 0) {
            return null;
        }
        byte[] payload;
        try {
            int length = first << 24 | data.readUnsignedByte() << 16 | data.readUnsignedByte() << 8 | data.readUnsignedByte();
            if (length <= 0 || length > MAX_BYTES) {
                throw new IOException("the master's session announces " + length + " bytes; a session has 1 to " + MAX_BYTES);
            }
            payload = new byte[length];
            data.readFully(payload);
        } catch (EOFException e) {
            throw new IOException("the input ended inside the master's session", e);
        }
        Object value;
        try {
            value = Loader.loadPayload(payload, 0, payload.length, StringCoercion.CHANNEL_DEFAULT, null);
        } catch (DataFormatException e) {
            throw new IOException("unreadable session from the master: " + e.getMessage(), e);
        }
        if (value instanceof Tuple t && t.size() == 5 && TAG.equals(t.get(0)) && t.get(1) instanceof String id
                && t.get(2) instanceof String model && t.get(3) instanceof Integer heartbeat && t.get(4) instanceof Integer window
                && heartbeat >= 0 && window >= 0) {
            try {
                return new WorkerSession(id, ExecModel.fromSpecName(model), heartbeat, window);
            } catch (IllegalArgumentException e) {
                throw new IOException("the master's session: " + e.getMessage(), e);
            }
        }
        throw new IOException("the master sent no session but " + (value instanceof Tuple t ? "a tuple of " + t.size() : value == null
                ? "None" : "a " + value.getClass().getSimpleName()) + "; is the master a jexecnet of another version?");
    }
}
