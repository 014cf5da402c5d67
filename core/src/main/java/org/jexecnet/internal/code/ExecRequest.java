package org.jexecnet.internal.code;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jexecnet.DataFormatException;
import org.jexecnet.Tuple;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;

/**
 * What a CHANNEL_EXEC carries to a JVM worker: jexecnet's extension of execnet's
 * {@code (source, file_name, call_name, kwargs)} tuple, in the same serializer. The payload is
 * {@code ("jexecnet/1", entry class, entry method, {class name: class bytes}, kwargs)}; see
 * docs/protocol.md.
 *
 * @param entryClass the binary name of the class to run
 * @param entryMethod its static method taking the channel (and, when kwargs are passed, a Map)
 * @param classes class files to define on the worker, by binary name; empty when the worker has the class
 * @param kwargs keyword arguments, values the serializer supports
 */
public record ExecRequest(String entryClass, String entryMethod, Map<String, byte[]> classes, Map<String, Object> kwargs) {
    static final String TAG = "jexecnet/1";

    public byte[] toPayload() {
        return Dumper.dumpPayload(Tuple.of(TAG, entryClass, entryMethod, classes, kwargs), null);
    }

    /**
     * Reads a request.
     *
     * @throws IllegalArgumentException when the payload is not one, with the reason
     */
    @SuppressWarnings("unchecked")
    public static ExecRequest fromPayload(byte[] payload) {
        Object value;
        try {
            value = Loader.loadPayload(payload, 0, payload.length, StringCoercion.CHANNEL_DEFAULT, null);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("unreadable CHANNEL_EXEC payload: " + e.getMessage(), e);
        }
        if (value instanceof Tuple t && t.size() == 5 && TAG.equals(t.get(0)) && t.get(1) instanceof String entry
                && t.get(2) instanceof String method && t.get(3) instanceof Map<?, ?> classes && t.get(4) instanceof Map<?, ?> kwargs) {
            for (Map.Entry<?, ?> e : classes.entrySet()) {
                if (!(e.getKey() instanceof String) || !(e.getValue() instanceof byte[])) {
                    throw new IllegalArgumentException("CHANNEL_EXEC classes must map names to class bytes");
                }
            }
            return new ExecRequest(entry, method, (Map<String, byte[]>) classes, new LinkedHashMap<>((Map<String, Object>) kwargs));
        }
        String shape = value instanceof Tuple t && t.size() == 4 && t.get(0) instanceof String
                ? "Python source (execnet's form): this worker is a JVM and runs Java only"
                : "not a jexecnet exec request";
        throw new IllegalArgumentException("cannot execute CHANNEL_EXEC payload: " + shape);
    }
}
