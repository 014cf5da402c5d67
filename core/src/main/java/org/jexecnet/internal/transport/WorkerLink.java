package org.jexecnet.internal.transport;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a master gateway holds of its worker: the two protocol streams, a way to wait for the worker's
 * end and a way to force it. A child process (popen, ssh) is one; a connection to a socket server and
 * a relay through another gateway are others.
 */
public interface WorkerLink {
    /** The worker's protocol output, which the master reads. */
    InputStream in();

    /** The worker's protocol input, which the master writes. */
    OutputStream out();

    /** Whether the worker has ended, waiting at most until the deadline ({@link System#nanoTime()}). */
    boolean awaitExit(long deadlineNanos);

    /**
     * What the transport said last, once the connection was lost: the end of the ssh client's or the
     * worker's stderr, for instance. Waits a little for it to end. Empty when it said nothing.
     */
    default String lastWords() {
        return "";
    }

    /** Ends the worker by force, without waiting: it and what it started, or the connection to it. */
    void kill();

    /** Waits for a link's end, marked by the future, at most until the deadline: for links that are not processes. */
    static boolean await(CompletableFuture<?> ended, long deadlineNanos) {
        try {
            ended.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return ended.isDone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ended.isDone();
        }
    }
}
