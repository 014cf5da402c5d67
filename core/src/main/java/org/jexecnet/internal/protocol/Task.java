package org.jexecnet.internal.protocol;

import java.util.function.LongSupplier;

/**
 * A unit of the engine's background work, run by a {@link TaskRunner} in the {@link TaskQueue} it was
 * first scheduled in: a heartbeat, a silence check, a credit grant, a delayed flush, a callback's
 * deliveries, the end of a worker. A task runs at most once at a time and decides its own recurrence:
 * {@link #runOnce} returns the delay until its next run, or -1 for none.
 *
 * <p>Its {@link Kind} says where it may run: a {@link Kind#QUICK} task never blocks, so the runner's
 * timer thread runs it itself; a task that {@link Kind#MAY_BLOCK} (it writes to a pipe that may be full,
 * or runs user code) gets a worker thread of its own, so that it can hold up only its own queue.
 */
public abstract class Task {
    /** Where a task may run. */
    public enum Kind {
        /** Never blocks and ends in microseconds: a check, a heartbeat that gives up rather than wait. */
        QUICK,
        /** May block: writes, user code, disk, waits. */
        MAY_BLOCK
    }

    final String name;
    final Kind kind;

    // Guarded by the runner's lock.
    /** The queue it belongs to, from its first scheduling on. */
    TaskQueue queue;
    /** When it is due ({@link TaskRunner.Clock#nanoTime}); meaningful while it is scheduled. */
    long dueAt;

    protected Task(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    /**
     * Does the work once.
     *
     * @return nanoseconds until it runs again, or -1 for never
     */
    protected abstract long runOnce();

    /** A task from a lambda that says when it runs next (or -1). */
    public static Task of(String name, Kind kind, LongSupplier body) {
        return new Task(name, kind) {
            @Override
            protected long runOnce() {
                return body.getAsLong();
            }
        };
    }

    /** A task that runs once. */
    public static Task once(String name, Kind kind, Runnable body) {
        return of(name, kind, () -> {
            body.run();
            return -1;
        });
    }

    @Override
    public String toString() {
        return name;
    }
}
