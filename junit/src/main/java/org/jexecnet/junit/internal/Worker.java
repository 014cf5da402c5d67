package org.jexecnet.junit.internal;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jexecnet.Channel;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.Gateway;
import org.jexecnet.junit.internal.wire.Request;

/**
 * A gateway in a test run, as the master's event loop sees it: its lane, its channel to the runner,
 * and what it runs now, down to the tests it started and has not finished, which a crash would leave
 * unfinished. Used by the event loop's thread only, but for the channel, which a starting thread sets.
 */
final class Worker {
    final Gateway gateway;
    final Lane lane;
    volatile Channel channel;
    /** Whether its runner said it is ready: a runner that fails before has a configuration problem, not a crash. */
    boolean ready;
    /** Whether the loop is done with it: crashed, given up, or told to stop. */
    boolean gone;
    Unit unit;
    /** Tests and containers of the current unit started and not finished, in the order they started. */
    final Set<String> open = new LinkedHashSet<>();
    /** Everything of the current unit that started. */
    final Set<String> seen = new HashSet<>();
    /** Whether the current unit's root was reported finished or skipped. */
    boolean rootReported;

    Worker(Gateway gateway, Lane lane) {
        this.gateway = gateway;
        this.lane = lane;
    }

    String id() {
        return gateway.id();
    }

    void start(Unit next) {
        unit = next;
        open.clear();
        seen.clear();
        rootReported = false;
        send(new Request.Run(next.number(), next.selection()));
    }

    void send(Request request) {
        try {
            channel.send(request.toWire());
        } catch (ChannelClosedException gone) {
            // the channel's end reaches the loop as an event of its own, which tells why
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
