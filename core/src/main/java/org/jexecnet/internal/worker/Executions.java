package org.jexecnet.internal.worker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jexecnet.ExecModel;
import org.jexecnet.internal.protocol.Threads;

/**
 * Runs remote executions on a worker by its execution model. The worker's main thread waits in
 * {@link #runMainThread()} for work. Whoever takes the one permit of {@code mainThreadFree} hands its
 * task to the main thread; the main thread gives the permit back when the task is done. So "one
 * execution at a time runs on the main thread" holds from the first execution on, without races.
 */
final class Executions {
    static final String MAIN_THREAD_ONLY_BUSY =
            "concurrent remote_exec would cause deadlock for main_thread_only execmodel";

    private final ExecModel model;
    private final SynchronousQueue<Job> toMainThread = new SynchronousQueue<>();
    private final Semaphore mainThreadFree = new Semaphore(1);
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger executing = new AtomicInteger();
    private final ThreadFactory threads;
    private volatile Thread mainThread;
    private volatile boolean shuttingDown;

    /**
     * @throws IllegalStateException when the model needs what this JVM lacks (virtual threads)
     */
    Executions(ExecModel model) {
        this.model = model;
        this.threads = Threads.factory(model);
    }

    ExecModel model() {
        return model;
    }

    /** Executions accepted and not yet finished. */
    int executing() {
        return executing.get();
    }

    /**
     * An execution: its body, then what reports its end ({@code then}), which runs once the body's
     * thread counts as free again. So the master, told that an execution ended, finds the main thread
     * free for the next one.
     */
    private record Job(Runnable body, Runnable then) {}

    /**
     * Counts an execution as accepted, on the receiver thread, before it is started elsewhere: execnet
     * counts from acceptance, and a STATUS that follows a CHANNEL_EXEC on the wire must see it. Then
     * {@link #submit} starts it, or {@link #unreserve} takes it back.
     */
    void reserve() {
        executing.incrementAndGet();
    }

    /** An accepted execution that will not run after all. */
    void unreserve() {
        executing.decrementAndGet();
    }

    /**
     * Starts an execution, reserved before, by the model's rules; a refused one is no longer counted.
     *
     * @param task the execution's body
     * @param then runs after the body, once its thread is free again
     * @throws RejectedExecutionException when the model refuses it; the message is execnet's text
     */
    void submit(Runnable task, Runnable then) {
        if (shuttingDown) {
            unreserve();
            throw new RejectedExecutionException("the worker is shutting down");
        }
        Runnable tracked = () -> {
            Thread self = Thread.currentThread();
            running.add(self);
            try {
                task.run();
            } finally {
                executing.decrementAndGet();
                running.remove(self);
                Thread.interrupted(); // an interrupt meant for this task must not reach the next one
            }
        };
        try {
            start(tracked, then);
        } catch (RuntimeException | Error refused) {
            unreserve();
            throw refused;
        }
    }

    /** Hands an accepted execution to a thread by the model's rules. */
    private void start(Runnable tracked, Runnable then) {
        switch (model) {
            case THREAD -> {
                if (mainThreadFree.tryAcquire()) {
                    handToMainThread(new Job(tracked, then));
                } else {
                    startThread(tracked, then);
                }
            }
            case MAIN_THREAD_ONLY -> {
                boolean free;
                try {
                    free = mainThreadFree.tryAcquire(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    free = false;
                }
                if (!free) {
                    throw new RejectedExecutionException(MAIN_THREAD_ONLY_BUSY);
                }
                handToMainThread(new Job(tracked, then));
            }
            case VIRTUAL -> startThread(tracked, then);
        }
    }

    private void startThread(Runnable tracked, Runnable then) {
        Thread thread = threads.newThread(() -> {
            tracked.run();
            then.run();
        });
        thread.setName("jexecnet-exec");
        thread.start();
    }

    /** Gives a task to the main thread, which holds no task now: the caller took its permit. */
    private void handToMainThread(Job task) {
        boolean taken;
        try {
            taken = toMainThread.offer(task, 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            mainThreadFree.release();
            throw new RejectedExecutionException("the worker's main thread is not taking work (shutting down?)");
        }
    }

    /** The main thread's loop: runs what it is handed until shutdown. */
    void runMainThread() {
        mainThread = Thread.currentThread();
        try {
            loopOnMainThread();
        } finally {
            mainThread = null; // a late shutdown must not interrupt what the thread goes on to do
        }
    }

    private void loopOnMainThread() {
        while (!shuttingDown) {
            Job job;
            try {
                job = toMainThread.take();
            } catch (InterruptedException e) {
                continue;
            }
            try {
                job.body().run();
            } catch (Throwable e) {
                // a task reports its own failures; whatever escapes must not end the main thread's loop
            } finally {
                mainThreadFree.release();
            }
            try {
                job.then().run();
            } catch (Throwable e) {
                // as above
            }
        }
    }

    /**
     * Stops accepting work and interrupts what runs; waits at most {@code graceMillis} for it to end.
     *
     * @return whether every execution ended in time
     */
    boolean shutdown(long graceMillis) {
        shuttingDown = true;
        running.forEach(Thread::interrupt);
        Thread main = mainThread;
        if (main != null) {
            main.interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (Thread thread : running) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return executing.get() == 0;
    }
}
