package org.jexecnet.testing;

import java.lang.reflect.Field;
import org.jexecnet.Channel;
import org.jexecnet.Gateway;
import org.jexecnet.internal.code.ExecRequest;
import org.jexecnet.internal.protocol.ConnectedGateway;
import org.jexecnet.internal.protocol.Connection;

/**
 * Sends an exec request exactly as a test forged it, past everything a master does to make one: what
 * a hijacked session or any one-off master could send a worker.
 */
public final class ForgedExec {
    private ForgedExec() {}

    /** Sends the request on the gateway's connection; the channel reports what the worker made of it. */
    public static Channel send(Gateway gateway, ExecRequest request) throws ReflectiveOperationException {
        Field field = ConnectedGateway.class.getDeclaredField("connection");
        field.setAccessible(true);
        Connection connection = (Connection) field.get(gateway);
        return connection.sendExec(request.toPayload(connection));
    }
}
