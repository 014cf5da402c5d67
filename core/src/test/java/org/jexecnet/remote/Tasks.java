package org.jexecnet.remote;

import java.util.Map;
import org.jexecnet.Channel;

/** Static methods for method-reference tests; this class exists only on the master's class path. */
public final class Tasks {
    private Tasks() {}

    /** Echoes items, doubled, until the channel closes. */
    public static void serve(Channel channel) {
        for (Object item : channel) {
            channel.send((Integer) item * 2);
        }
    }

    /** Sends 1..n, n from the kwargs. */
    public static void countTo(Channel channel, Map<String, Object> kwargs) {
        int n = (Integer) kwargs.get("n");
        for (int i = 1; i <= n; i++) {
            channel.send(i);
        }
    }
}
