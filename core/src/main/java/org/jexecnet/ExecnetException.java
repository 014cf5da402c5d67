package org.jexecnet;

/**
 * The base of every exception jexecnet throws. It is unchecked: like {@code java.io.UncheckedIOException},
 * it reports a failure the caller usually cannot handle at the call site, and the subclasses say what
 * went wrong and to what.
 */
public class ExecnetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, naming what it went wrong with
     */
    public ExecnetException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the failure that caused it.
     *
     * @param message what went wrong, naming what it went wrong with
     * @param cause the underlying failure
     */
    public ExecnetException(String message, Throwable cause) {
        super(message, cause);
    }
}
