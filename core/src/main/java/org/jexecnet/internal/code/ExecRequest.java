package org.jexecnet.internal.code;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jexecnet.Channel;
import org.jexecnet.DataFormatException;
import org.jexecnet.Tuple;
import org.jexecnet.internal.serial.ChannelRefs;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;

/**
 * What a CHANNEL_EXEC carries to a JVM worker: jexecnet's extension of execnet's
 * {@code (source, file_name, call_name, kwargs)} tuple, in the same serializer (see docs/protocol.md):
 * {@code ("jexecnet/1", entry class, entry method, descriptor or None, captured values,
 * {path: class file}, {sha256: jar}, kwargs, class server channel or None)}.
 *
 * @param entryClass the binary name of the class to run
 * @param entryMethod its static method to call
 * @param entryDescriptor the method's JVM descriptor, or null for a {@code (Channel)} or
 *     {@code (Channel, Map)} method of that name
 * @param captured values a lambda captured, passed before the channel
 * @param files class files and resources for the worker, by resource path
 * @param jars jars for the worker, by the SHA-256 of their bytes; a null value means "already sent"
 * @param kwargs keyword arguments
 * @param classServer the master's channel that answers the worker's requests for classes, or null
 */
public record ExecRequest(String entryClass, String entryMethod, String entryDescriptor, List<Object> captured,
        Map<String, byte[]> files, Map<String, byte[]> jars, Map<String, Object> kwargs, Channel classServer) {
    static final String TAG = "jexecnet/1";

    public byte[] toPayload(ChannelRefs channels) {
        return Dumper.dumpPayload(Tuple.of(TAG, entryClass, entryMethod, entryDescriptor, captured, files, jars, kwargs,
                classServer), channels);
    }

    /**
     * Reads a request.
     *
     * @throws IllegalArgumentException when the payload is not one, with the reason
     */
    @SuppressWarnings("unchecked")
    public static ExecRequest fromPayload(byte[] payload, ChannelRefs channels) {
        Object value;
        try {
            value = Loader.loadPayload(payload, 0, payload.length, StringCoercion.CHANNEL_DEFAULT, channels);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("unreadable CHANNEL_EXEC payload: " + e.getMessage(), e);
        }
        if (value instanceof Tuple t && t.size() == 9 && TAG.equals(t.get(0)) && t.get(1) instanceof String entry
                && t.get(2) instanceof String method && (t.get(3) == null || t.get(3) instanceof String)
                && t.get(4) instanceof List<?> captured && t.get(5) instanceof Map<?, ?> files
                && t.get(6) instanceof Map<?, ?> jars && t.get(7) instanceof Map<?, ?> kwargs
                && (t.get(8) == null || t.get(8) instanceof Channel)) {
            return new ExecRequest(entry, method, (String) t.get(3), new ArrayList<>(captured), bytesByName(files),
                    bytesByName(jars), new LinkedHashMap<>((Map<String, Object>) kwargs), (Channel) t.get(8));
        }
        String shape = value instanceof Tuple t && t.size() == 4 && t.get(0) instanceof String
                ? "Python source (execnet's form): this worker is a JVM and runs Java only"
                : "not a jexecnet exec request";
        throw new IllegalArgumentException("cannot execute CHANNEL_EXEC payload: " + shape);
    }

    private static Map<String, byte[]> bytesByName(Map<?, ?> map) {
        Map<String, byte[]> checked = new LinkedHashMap<>();
        map.forEach((name, bytes) -> {
            if (!(name instanceof String) || !(bytes == null || bytes instanceof byte[])) {
                throw new IllegalArgumentException("CHANNEL_EXEC files and jars must map names to bytes");
            }
            checked.put((String) name, (byte[]) bytes);
        });
        return checked;
    }
}
