package org.jexecnet;

import java.time.Duration;

/**
 * A wait on a channel ended without result because its time ran out. The channel stays usable.
 */
public class ChannelTimeoutException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    /**
     * Creates the exception.
     *
     * @param message what was waited for, on which channel
     * @param timeout how long it waited
     */
    public ChannelTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    /**
     * How long the call waited.
     *
     * @return the timeout it was given
     */
    public Duration timeout() {
        return timeout;
    }
}
