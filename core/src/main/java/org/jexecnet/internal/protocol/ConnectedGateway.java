package org.jexecnet.internal.protocol;

import java.time.Duration;
import org.jexecnet.Channel;
import org.jexecnet.Gateway;
import org.jexecnet.RemoteStatus;
import org.jexecnet.internal.serial.StringCoercion;

/** What a gateway is on either side: an id and a connection, through which channels and status go. */
public abstract class ConnectedGateway implements Gateway {
    private final String id;
    protected final Connection connection;

    protected ConnectedGateway(String id, Connection connection) {
        this.id = id;
        this.connection = connection;
        connection.setOwner(this);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Channel newChannel() {
        return connection.newChannel();
    }

    @Override
    public final RemoteStatus remoteStatus(Duration timeout) {
        return connection.remoteStatus(Timeouts.bounded(timeout));
    }

    @Override
    public final void reconfigure(org.jexecnet.StringCoercion strings) {
        connection.reconfigure(StringCoercion.of(strings));
    }

    @Override
    public final boolean isAlive() {
        return connection.isReceiving();
    }
}
