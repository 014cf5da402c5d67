package org.jexecnet.internal.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A connection's open channels by id, and the ids this end allocates (odd on the master, even on a
 * worker). Reads take no lock. {@link #lock} guards adding and {@code closed}: once the connection's end
 * has {@linkplain #close closed} the registry, nothing joins it any more, so no channel misses the end.
 */
final class ChannelRegistry {
    private final Map<Integer, RealChannel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger nextId;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed; // guarded by lock

    ChannelRegistry(int firstId) {
        this.nextId = new AtomicInteger(firstId);
    }

    /** An id of this end's that no channel had. */
    int allocate() {
        return nextId.getAndAdd(2);
    }

    /** The open channel with this id, or null for one never opened, or closed since. */
    RealChannel get(int id) {
        return channels.get(id);
    }

    int size() {
        return channels.size();
    }

    /** The open channel with this id, else a new one from {@code make}; null once the registry is closed. */
    RealChannel open(int id, IntFunction<RealChannel> make) {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            return channels.computeIfAbsent(id, make::apply);
        } finally {
            lock.unlock();
        }
    }

    void forEach(Consumer<RealChannel> action) {
        channels.values().forEach(action);
    }

    void remove(RealChannel channel) {
        channels.remove(channel.id(), channel);
    }

    /** Closes the registry: returns what was open, and takes nothing any more. */
    List<RealChannel> close() {
        lock.lock();
        try {
            closed = true;
            List<RealChannel> open = new ArrayList<>(channels.values());
            channels.clear();
            return open;
        } finally {
            lock.unlock();
        }
    }
}
