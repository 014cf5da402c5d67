package org.jexecnet;

/**
 * The connection to the other side is gone: its process died or was killed, the pipe or socket broke,
 * or the peer sent bytes that are not the protocol. Every waiting call on the gateway's channels
 * raises it at once; callbacks receive their end markers.
 */
public class ConnectionLostException extends ChannelClosedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was lost, and why when known
     * @param cause the underlying failure, or null
     */
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
