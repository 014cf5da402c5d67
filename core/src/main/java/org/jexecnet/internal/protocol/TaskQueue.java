package org.jexecnet.internal.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Tasks that run one at a time, in the order they are due: a connection's writes, its checks, one
 * channel's callback deliveries. Queues share their runner's threads, so a queue costs no thread of its
 * own, and a queue whose task blocks holds up only itself.
 *
 * <p>All state is guarded by the runner's lock (see {@link TaskRunner}).
 */
public final class TaskQueue {
    final TaskRunner runner;
    final String name;

    // Guarded by runner.lock.
    /** Tasks waiting for their time, earliest first; equal times keep the order they were scheduled in. */
    final List<Task> scheduled = new ArrayList<>(2);
    /** The task running now, or null: while one runs, no other task of this queue starts. */
    Task active;
    /** No more tasks: what is scheduled was dropped, and later schedules are ignored. */
    boolean shutdown;

    TaskQueue(TaskRunner runner, String name) {
        this.runner = runner;
        this.name = name;
    }

    /**
     * Runs {@code task} after {@code delayNanos}; if it is scheduled already, at the earlier of the two
     * times. A task that runs now may be scheduled again: it then runs once more after this run. Ignored
     * once the queue is shut down.
     *
     * @throws IllegalStateException when the task belongs to another queue
     */
    public void schedule(Task task, long delayNanos) {
        runner.schedule(this, task, delayNanos);
    }

    /** Runs a one-time task now (after the tasks due before it). */
    public void execute(String taskName, Task.Kind kind, Runnable body) {
        schedule(Task.once(taskName, kind, body), 0);
    }

    /** Takes a task off the schedule; a run in progress completes. */
    public void cancel(Task task) {
        runner.cancel(this, task);
    }

    /** Drops every scheduled task and refuses later ones; a task running now completes. */
    public void shutdown() {
        runner.shutdown(this);
    }

    /** Inserts by due time, after tasks due at the same time (under the runner's lock). */
    void insert(Task task) {
        int at = scheduled.size();
        while (at > 0 && scheduled.get(at - 1).dueAt - task.dueAt > 0) {
            at--;
        }
        scheduled.add(at, task);
    }

    @Override
    public String toString() {
        return name;
    }
}
