package org.jexecnet;

/**
 * A channel can no longer carry the requested item: it is closed and every item was received, or it
 * is closed for sending. Its subclass {@link ConnectionLostException} says the whole connection is gone.
 */
public class ChannelClosedException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted on which channel
     */
    public ChannelClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was attempted on which channel
     * @param cause the underlying failure
     */
    public ChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
