package org.jexecnet.internal.transport;

import java.io.InputStream;
import java.io.OutputStream;

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
}
