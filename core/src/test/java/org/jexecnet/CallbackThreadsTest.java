package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Finding 3 of issue 15: callbacks ran on the receiver thread, so one blocked callback stalled every
 * channel of its gateway, and a receive() inside a callback waited out its whole timeout. Callbacks
 * run off the receiver thread, in order per channel.
 */
@ExtendWith(NoLeftoverWorkers.class)
class CallbackThreadsTest {
    static final Duration T = Duration.ofSeconds(20);

    @Test
    void aBlockedCallbackHoldsUpOnlyItsOwnChannel() throws Exception {
        try (Group group = new Group("popen")) {
            Gateway gw = group.get(0);
            Channel slow = gw.remoteExec(ch -> {
                ch.receive(); // go: the items come after the callback is set, so they reach it as they arrive
                for (int i = 0; i < 5; i++) {
                    ch.send(i);
                }
            });
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            BlockingQueue<Object> got = new LinkedBlockingQueue<>();
            slow.setCallback(item -> {
                blocked.countDown();
                try {
                    release.await(T.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                got.add(item);
            });
            slow.send("go");
            assertTrue(blocked.await(T.toSeconds(), TimeUnit.SECONDS), "the callback has its first item");
            Channel other = gw.remoteExec(ch -> ch.send("through"));
            // Before: "through" waited behind the blocked callback, on the receiver thread.
            assertEquals("through", other.receive(String.class, T));
            assertTrue(gw.isAlive());
            release.countDown();
            for (int i = 0; i < 5; i++) {
                assertEquals(i, got.poll(T.toSeconds(), TimeUnit.SECONDS), "in order");
            }
            slow.waitClose(T);
        }
    }

    @Test
    void receiveInsideACallbackFailsAtOnceSayingWhy() throws Exception {
        try (Group group = new Group("popen")) {
            Gateway gw = group.get(0);
            Channel other = gw.newChannel();
            Channel channel = gw.remoteExec(ch -> {
                ch.receive();
                ch.send("item");
            });
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            channel.setCallback(item -> {
                try {
                    other.receive(Duration.ofSeconds(5));
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            channel.send("go");
            Throwable e = failure.get(T.toSeconds(), TimeUnit.SECONDS);
            // Before: a ChannelTimeoutException once the 5 s had passed, the receiver thread being the one waiting.
            assertInstanceOf(IllegalStateException.class, e, String.valueOf(e));
            assertTrue(e.getMessage().contains("inside the callback of"), e.getMessage());
            channel.waitClose(T);
        }
    }
}
