package org.jexecnet.internal.protocol;

import java.io.IOException;

/** The peer sent bytes that are not execnet's protocol; the connection cannot go on. */
public final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
