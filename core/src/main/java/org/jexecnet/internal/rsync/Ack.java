package org.jexecnet.internal.rsync;

import org.jexecnet.Tuple;

/**
 * The target has a file in place: how many bytes travelled for it, how many data messages of the
 * source's window this acknowledges besides the per-chunk {@code "c"} credits (a whole file's last
 * chunk is acknowledged here), and whether content travelled at all (not only a mode or a time). On the
 * wire {@code ("ack", path, bytes, credits, content travelled)}.
 *
 * @param path the file, relative to the synced root
 * @param transferred bytes that travelled for it
 * @param credits data messages this acknowledges
 * @param contentTravelled whether the file's content came (whole or as a delta)
 */
record Ack(String path, long transferred, int credits, boolean contentTravelled) {

    Tuple toValue() {
        return Tuple.of("ack", path, transferred, credits, contentTravelled);
    }

    /** The acknowledgement, when the value is one; null when it is not (a credit, or something else). */
    static Ack ifOne(Object value) {
        if (value instanceof Tuple t && t.size() == 5 && "ack".equals(t.get(0)) && t.get(1) instanceof String path
                && t.get(2) instanceof Number transferred && t.get(3) instanceof Number credits
                && t.get(4) instanceof Boolean content) {
            return new Ack(path, transferred.longValue(), credits.intValue(), content);
        }
        return null;
    }
}
