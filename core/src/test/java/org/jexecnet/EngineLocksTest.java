package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Finding 1 of issue 15: the engine locked objects that users hold. A user who synchronizes on a
 * channel or a gateway, for whatever reason of their own, must stall nothing of the engine's.
 */
@ExtendWith(NoLeftoverWorkers.class)
class EngineLocksTest {
    static final Duration T = Duration.ofSeconds(20);

    @Test
    void aUserHoldingAChannelsMonitorStallsNoOtherChannel() {
        try (Group group = new Group("popen")) {
            Gateway gw = group.get(0);
            Channel held = gw.remoteExec(ch -> ch.receive());
            // "hello" leaves the worker only once `held` is closed there, so its close reaches this side first.
            Channel other = gw.remoteExec(ch -> {
                Channel closing = ch.receive(Channel.class);
                closing.waitClose();
                ch.send("hello");
            });
            synchronized (held) {
                other.send(held);
                held.send("end"); // its code returns: the worker closes it, and this side's receiver handles that close
                // Before: the receiver thread waited for this monitor to mark `held` closed, so "hello" never came.
                assertEquals("hello", other.receive(String.class, T));
            }
            held.waitClose(T);
        }
    }

    @Test
    void aUserHoldingTheGatewaysMonitorStallsNoOtherThreadsRemoteExec() throws Exception {
        try (Group group = new Group("popen")) {
            Gateway gw = group.get(0);
            synchronized (gw) {
                CompletableFuture<Object> elsewhere = CompletableFuture.supplyAsync(
                        () -> gw.remoteExec(ch -> ch.send("from another thread")).receive(T));
                // Before: remoteExec took the gateway's monitor to make its class server channel.
                assertEquals("from another thread", elsewhere.get(T.toSeconds(), TimeUnit.SECONDS));
            }
        }
    }
}
