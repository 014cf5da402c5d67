package org.jexecnet.internal.worker;

import java.time.Duration;
import java.util.Map;
import org.jexecnet.Channel;
import org.jexecnet.RemoteCode;
import org.jexecnet.RemoteFunction;
import org.jexecnet.RemoteInfo;
import org.jexecnet.XSpec;
import org.jexecnet.internal.protocol.ConnectedGateway;
import org.jexecnet.internal.protocol.Connection;

/**
 * The gateway as remote code sees it, through {@code channel.gateway()}: it makes channels and asks
 * the master's status, but ships no code, since only the master does.
 */
final class WorkerGateway extends ConnectedGateway {

    WorkerGateway(String id, Connection connection) {
        super(id, connection);
    }

    @Override
    public XSpec spec() {
        return XSpec.parse("id=" + id());
    }

    @Override
    public Channel remoteExec(String javaSource) {
        throw new UnsupportedOperationException("only the master ships code: a worker cannot remoteExec to it");
    }

    @Override
    public Channel remoteExec(RemoteCode code) {
        return remoteExec("");
    }

    @Override
    public Channel remoteExec(RemoteFunction function, Map<String, ?> kwargs) {
        return remoteExec("");
    }

    @Override
    public Channel remoteExec(Class<?> module) {
        return remoteExec("");
    }

    @Override
    public Channel remoteExec(Class<?> module, Map<String, ?> kwargs) {
        return remoteExec("");
    }

    @Override
    public RemoteInfo remoteInfo(Duration timeout) {
        throw new UnsupportedOperationException("only the master ships code: a worker cannot ask the master's remoteInfo");
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
        return "<Gateway id='" + id() + "' worker side>";
    }
}
