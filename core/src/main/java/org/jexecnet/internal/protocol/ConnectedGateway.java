package org.jexecnet.internal.protocol;

import java.time.Duration;
import java.util.Map;
import org.jexecnet.Channel;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ConnectionLostException;
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

    /** Asks the peer for its status on a fresh channel id, as execnet's {@code remote_status()}. */
    @Override
    public final RemoteStatus remoteStatus(Duration timeout) {
        Duration bounded = Timeouts.bounded(timeout);
        RealChannel channel = connection.newChannel();
        Object answer;
        try {
            connection.send(Frame.STATUS, channel.id(), Frame.EMPTY);
            answer = channel.receive(bounded);
        } catch (ChannelTimeoutException e) {
            // The channel is the request's own, not one of the user's: the message names the gateway alone.
            throw new ChannelTimeoutException("gateway " + connection.name() + " sent no status within " + bounded, bounded);
        } finally {
            connection.forget(channel); // answered or not, the id is spent
        }
        if (answer instanceof Map<?, ?> status && status.get("numchannels") instanceof Integer open
                && status.get("numexecuting") instanceof Integer executing) {
            return new RemoteStatus(open, executing, String.valueOf(status.get("execmodel")));
        }
        throw new ConnectionLostException(connection.name() + " answered a status request with " + answer + ", not a status", null);
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
