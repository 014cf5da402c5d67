package org.jexecnet.conformance;

import org.jexecnet.Channel;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RemoteCode;

/**
 * execnet's {@code gw} fixture: a gateway of one {@link Kind}, shared by the tests of a test class as
 * execnet shares it for a session. A test gives its remote code in both languages; the gateway runs
 * the one it speaks.
 *
 * @param kind the kind
 * @param gateway the gateway
 * @param group the group it is in, with the gateways of the other kinds (execnet's {@code gw._group})
 */
public record Gw(Kind kind, Gateway gateway, Group group) {

    /**
     * {@code gw.remote_exec(source)}: the Java statements on a JVM, the Python source on Python.
     *
     * @param java Java statements, as for {@link Gateway#remoteExec(String)}
     * @param python the execnet test's Python source, sent as it is (the master dedents it, as execnet does)
     */
    public Channel exec(String java, String python) {
        return gateway.remoteExec(kind.python() ? python : java);
    }

    /** As {@link #exec(String, String)}, with the Java side a lambda or method reference. */
    public Channel exec(RemoteCode java, String python) {
        return kind.python() ? gateway.remoteExec(python) : gateway.remoteExec(java);
    }

    /** Whether this gateway runs Python. */
    public boolean python() {
        return kind.python();
    }

    /** {@code gw.newchannel()}. */
    public Channel newChannel() {
        return gateway.newChannel();
    }
}
