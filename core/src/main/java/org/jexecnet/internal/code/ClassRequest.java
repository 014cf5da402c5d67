package org.jexecnet.internal.code;

import org.jexecnet.Channel;
import org.jexecnet.Tuple;

/**
 * A worker's request to the master's class server, sent on the server's channel: what it looks for,
 * and the channel for the one answer ({@link ClassAnswer}). On the wire
 * {@code (reply channel, "class" or "resource", name)}.
 *
 * @param reply the channel the answer goes to
 * @param kind a class (by binary name) or a resource (by path)
 * @param name what the worker looks for
 */
public record ClassRequest(Channel reply, Kind kind, String name) {
    /** What a request looks for. */
    public enum Kind {
        CLASS("class"),
        RESOURCE("resource");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    public Tuple toValue() {
        return Tuple.of(reply, kind.wire, name);
    }

    /**
     * Reads a request.
     *
     * @throws IllegalArgumentException when the value is not one, with what it was
     */
    public static ClassRequest fromValue(Object value) {
        if (value instanceof Tuple t && t.size() == 3 && t.get(0) instanceof Channel reply && t.get(2) instanceof String name) {
            for (Kind kind : Kind.values()) {
                if (kind.wire.equals(t.get(1))) {
                    return new ClassRequest(reply, kind, name);
                }
            }
        }
        throw new IllegalArgumentException("not a class request (reply channel, \"class\" or \"resource\", name): " + value);
    }
}
