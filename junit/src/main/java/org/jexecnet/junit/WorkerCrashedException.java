package org.jexecnet.junit;

/**
 * Why a test failed that a worker was running when it died (it exited, was killed, ran out of memory, or
 * fell silent): the message names the worker, the test and what is known of the cause, such as
 * {@code gw1 crashed while running FooTest > bar(): exit status 3, last stderr: ...}.
 */
public final class WorkerCrashedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what crashed, while running what, and why
     */
    public WorkerCrashedException(String message) {
        super(message, null, false, false);
    }
}
