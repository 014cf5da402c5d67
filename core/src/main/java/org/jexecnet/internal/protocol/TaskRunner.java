package org.jexecnet.internal.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jexecnet.internal.debug.Trace;

/**
 * Runs the engine's background work for every connection of this JVM: tasks in {@link TaskQueue}s,
 * each queue's one at a time, when they are due. (OkHttp's TaskRunner has this shape; this one is
 * smaller, and tells quick tasks from blocking ones.)
 *
 * <p><b>Threads.</b> One timer thread waits for the next due task. A {@link Task.Kind#QUICK} task it
 * runs itself; a task that {@link Task.Kind#MAY_BLOCK} it hands to a worker thread, and a task that
 * becomes due at once (a credit grant, a callback's delivery) goes to a worker without the timer. A
 * worker that finishes a task runs the next due task of the same queue, else waits for another
 * hand-off and ends after {@link #KEEP_ALIVE_NANOS} without one; the timer ends when nothing has been
 * scheduled for as long. So an idle JVM whose connections keep heartbeats has one runner thread, and a
 * task that blocks for good (a write to a stopped peer, a callback waiting for the user) holds one worker
 * and its own queue, never the timer, another queue or a connection's receiver.
 *
 * <p><b>Time.</b> Every due time is read from the runner's {@link Clock}. A runner made by
 * {@link #manual} starts no thread at all: a test moves its clock and calls {@link #runDueTasks}, which
 * runs what is due on the test's own thread, in time order. Heartbeats, silence, credit and flushing are
 * so tested without a real sleep.
 *
 * <p><b>Lock.</b> {@link #lock} guards the schedule of every queue ({@link TaskQueue#scheduled},
 * {@link TaskQueue#active}, {@link TaskQueue#shutdown}) and the runner's own state below. It is held only
 * to read and change those, never while a task runs or a thread is handed work. Invariants, under it:
 * a queue with an active task is not in {@link #waiting}; a queue without one is in it exactly when it has
 * a scheduled task; while {@link #waiting} holds a task not yet due, the timer runs.
 */
public final class TaskRunner {
    /** Where a runner's time comes from: {@link System#nanoTime} in production, a test's fake in tests. */
    @FunctionalInterface
    public interface Clock {
        long nanoTime();
    }

    /** How long an idle runner thread waits for work before it ends. */
    static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final TaskRunner SHARED = new TaskRunner(System::nanoTime, true);

    final ReentrantLock lock = new ReentrantLock();
    private final Condition timerWake = lock.newCondition();
    private final Clock clock;
    /** Threads for blocking tasks; null for a manual runner. */
    private final ThreadPoolExecutor workers;

    // Guarded by lock.
    /** Queues with no task running and at least one scheduled. */
    private final List<TaskQueue> waiting = new ArrayList<>();
    private boolean timerRunning;
    private boolean timerWaiting;
    private long timerWakeAt;

    private TaskRunner(Clock clock, boolean threaded) {
        this.clock = clock;
        this.workers = threaded ? new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_NANOS, TimeUnit.NANOSECONDS,
                new SynchronousQueue<>(), work -> daemon(work, "jexecnet-task")) : null;
    }

    /** The runner every connection of this JVM uses, on the system clock. */
    public static TaskRunner shared() {
        return SHARED;
    }

    /** A runner for tests: no threads; tasks run in {@link #runDueTasks}, by {@code clock}'s time. */
    public static TaskRunner manual(Clock clock) {
        return new TaskRunner(clock, false);
    }

    public Clock clock() {
        return clock;
    }

    public TaskQueue newQueue(String name) {
        return new TaskQueue(this, name);
    }

    /**
     * A runner thread: a daemon, whose context class loader is jexecnet's, whichever thread happened to
     * need it first (a callback running on it sees the same loader every time).
     */
    private static Thread daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.setContextClassLoader(TaskRunner.class.getClassLoader());
        return thread;
    }

    void schedule(TaskQueue queue, Task task, long delayNanos) {
        Task now;
        lock.lock();
        try {
            if (task.queue == null) {
                task.queue = queue;
            } else if (task.queue != queue) {
                throw new IllegalStateException("task " + task + " belongs to queue " + task.queue + ", not " + queue);
            }
            if (queue.shutdown) {
                return;
            }
            long due = clock.nanoTime() + Math.max(0, delayNanos);
            int at = queue.scheduled.indexOf(task);
            if (at >= 0) {
                if (task.dueAt - due <= 0) {
                    return; // due already at least as soon
                }
                queue.scheduled.remove(at);
            }
            task.dueAt = due;
            queue.insert(task);
            now = decide(queue);
        } finally {
            lock.unlock();
        }
        if (now != null) {
            workers.execute(() -> work(now));
        }
    }

    void cancel(TaskQueue queue, Task task) {
        lock.lock();
        try {
            if (queue.scheduled.remove(task) && queue.active == null && queue.scheduled.isEmpty()) {
                waiting.remove(queue);
            }
        } finally {
            lock.unlock();
        }
    }

    void shutdown(TaskQueue queue) {
        lock.lock();
        try {
            queue.shutdown = true;
            queue.scheduled.clear();
            waiting.remove(queue);
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a queue's schedule changed: the task to hand a worker now (a blocking one that is due), or
     * null when the timer, or the task running now, takes care of it (under the lock).
     */
    private Task decide(TaskQueue queue) {
        if (queue.active != null) {
            return null; // the running task's end looks at the queue again
        }
        if (queue.scheduled.isEmpty()) {
            waiting.remove(queue);
            return null;
        }
        Task first = queue.scheduled.get(0);
        if (workers != null && first.kind == Task.Kind.MAY_BLOCK && first.dueAt - clock.nanoTime() <= 0) {
            return claim(queue);
        }
        if (!waiting.contains(queue)) {
            waiting.add(queue);
        }
        if (workers != null) {
            wakeTimer(first.dueAt);
        }
        return null;
    }

    /** Makes the queue's first task the running one (under the lock). */
    private Task claim(TaskQueue queue) {
        Task task = queue.scheduled.remove(0);
        queue.active = task;
        waiting.remove(queue);
        return task;
    }

    /** Makes sure the timer looks again by {@code dueAt} (under the lock). */
    private void wakeTimer(long dueAt) {
        if (!timerRunning) {
            timerRunning = true;
            daemon(this::timerLoop, "jexecnet-timer").start();
        } else if (timerWaiting && dueAt - timerWakeAt < 0) {
            timerWake.signal();
        }
    }

    /**
     * A task ran: schedules its next run, and returns the queue's next task if this thread should run it
     * now ({@code claimDue}: a worker keeps a queue's tasks on one thread while they are due), else puts
     * the queue back in {@link #waiting} (under the lock).
     */
    private Task finish(Task task, long delayNanos, boolean claimDue) {
        TaskQueue queue = task.queue;
        queue.active = null;
        long now = clock.nanoTime();
        if (delayNanos >= 0 && !queue.shutdown) {
            long due = now + delayNanos;
            int at = queue.scheduled.indexOf(task);
            if (at < 0 || task.dueAt - due > 0) {
                if (at >= 0) {
                    queue.scheduled.remove(at);
                }
                task.dueAt = due;
                queue.insert(task);
            }
        }
        if (claimDue && !queue.scheduled.isEmpty() && queue.scheduled.get(0).dueAt - now <= 0) {
            return claim(queue);
        }
        return decide(queue);
    }

    /** Runs a task; a failure is reported and ends its recurrence, never the thread. */
    private static long run(Task task) {
        try {
            return task.runOnce();
        } catch (Throwable e) {
            Trace.warn("jexecnet task " + task + " failed", e);
            return -1;
        }
    }

    /** A worker thread's turn: the task, then whatever of its queue is due after it. */
    private void work(Task first) {
        Task task = first;
        while (task != null) {
            long delay = run(task);
            lock.lock();
            try {
                task = finish(task, delay, true);
            } finally {
                lock.unlock();
            }
        }
    }

    private void timerLoop() {
        lock.lock();
        try {
            long idleSince = clock.nanoTime();
            while (true) {
                long now = clock.nanoTime();
                TaskQueue due = null;
                long wait = Long.MAX_VALUE;
                for (TaskQueue queue : waiting) {
                    long left = queue.scheduled.get(0).dueAt - now;
                    if (left <= 0) {
                        due = queue;
                        break;
                    }
                    wait = Math.min(wait, left);
                }
                if (due != null) {
                    Task task = claim(due);
                    lock.unlock();
                    long delay = -1;
                    try {
                        if (task.kind == Task.Kind.QUICK) {
                            delay = run(task);
                        } else {
                            workers.execute(() -> work(task));
                        }
                    } finally {
                        lock.lock();
                    }
                    if (task.kind == Task.Kind.QUICK) {
                        Task next = finish(task, delay, false);
                        if (next != null) {
                            lock.unlock();
                            try {
                                workers.execute(() -> work(next));
                            } finally {
                                lock.lock();
                            }
                        }
                    }
                    idleSince = now;
                    continue;
                }
                if (waiting.isEmpty()) {
                    if (now - idleSince >= KEEP_ALIVE_NANOS) {
                        return; // nothing scheduled: the next schedule starts a timer again
                    }
                    wait = KEEP_ALIVE_NANOS - (now - idleSince);
                } else {
                    idleSince = now;
                }
                timerWaiting = true;
                timerWakeAt = now + wait;
                try {
                    timerWake.awaitNanos(wait);
                } catch (InterruptedException e) {
                    // the timer serves every connection: it goes on
                } finally {
                    timerWaiting = false;
                }
            }
        } finally {
            timerRunning = false;
            lock.unlock();
        }
    }

    /**
     * Runs every task that is due by the clock, on this thread, earliest first, until none is: for
     * tests, with a runner made by {@link #manual}.
     */
    public void runDueTasks() {
        if (workers != null) {
            throw new IllegalStateException("runDueTasks is for manual runners; this one has threads");
        }
        while (true) {
            Task task = null;
            lock.lock();
            try {
                long now = clock.nanoTime();
                TaskQueue earliest = null;
                for (TaskQueue queue : waiting) {
                    long dueAt = queue.scheduled.get(0).dueAt;
                    if (dueAt - now <= 0 && (earliest == null || dueAt - earliest.scheduled.get(0).dueAt < 0)) {
                        earliest = queue;
                    }
                }
                if (earliest == null) {
                    return;
                }
                task = claim(earliest);
            } finally {
                lock.unlock();
            }
            long delay = run(task);
            lock.lock();
            try {
                finish(task, delay, false);
            } finally {
                lock.unlock();
            }
        }
    }
}
