package org.jexecnet.internal.worker;

import java.time.Duration;
import org.jexecnet.Channel;
import org.jexecnet.RemoteInfo;
import org.jexecnet.RemoteStatus;
import org.jexecnet.XSpec;
import org.jexecnet.internal.protocol.Connection;
import org.jexecnet.internal.serial.StringCoercion;

/**
 * The gateway as remote code sees it, through {@code channel.gateway()}: it makes channels and asks
 * the master's status, but ships no code, since only the master does.
 */
final class WorkerGateway implements org.jexecnet.Gateway {
    private final String id;
    private final Connection connection;

    WorkerGateway(String id, Connection connection) {
        this.id = id;
        this.connection = connection;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public XSpec spec() {
        return XSpec.parse("id=" + id);
    }

    @Override
    public Channel remoteExec(String javaSource) {
        throw new UnsupportedOperationException("only the master ships code: a worker cannot remoteExec to it");
    }

    @Override
    public Channel newChannel() {
        return connection.newChannel();
    }

    @Override
    public RemoteStatus remoteStatus(Duration timeout) {
        return connection.remoteStatus(timeout);
    }

    @Override
    public RemoteInfo remoteInfo(Duration timeout) {
        throw new UnsupportedOperationException("only the master ships code: a worker cannot ask the master's remoteInfo");
    }

    @Override
    public void reconfigure(boolean py2strAsPy3str, boolean py3strAsPy2str) {
        connection.reconfigure(new StringCoercion(py2strAsPy3str, py3strAsPy2str));
    }

    @Override
    public boolean isAlive() {
        return connection.isReceiving();
    }

    @Override
    public void exit() {
        throw new UnsupportedOperationException("a worker ends when its master ends the gateway");
    }

    @Override
    public void close() {
        exit();
    }

    @Override
    public String toString() {
        return "<Gateway id='" + id + "' worker side>";
    }
}
