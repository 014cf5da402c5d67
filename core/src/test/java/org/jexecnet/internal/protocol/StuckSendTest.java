package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jexecnet.ChannelTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A send that waits for credit longer than the heartbeat interval is reported once, naming the
 * gateway, the channel, the bytes unconsumed and the way out; a send whose timeout passes says the same.
 * By the fake clock: no real waiting for the report.
 */
class StuckSendTest {
    private static final long WINDOW = 4096;
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private static void assertSaysWhyAndWhatToDo(String message) {
        assertTrue(message.contains("the receiver has not taken the"), message);
        assertTrue(message.contains("bytes sent before it on channel 1 of gateway gw0"), message);
        assertTrue(message.contains("must receive from this channel"), message);
        assertTrue(message.contains("window="), message);
    }

    @Test
    void aSendWaitingLongerThanTheHeartbeatIntervalIsReportedOnce() throws Exception {
        try (Link link = new Link(WINDOW)) {
            link.master.startHeartbeat(Duration.ofSeconds(10), () -> { }, Connection.Heartbeats.NEVER_WAIT); // beats every 2 s
            link.worker.startHeartbeat(Duration.ofSeconds(10), () -> { }, Connection.Heartbeats.WAIT_THEIR_TURN);
            link.master.warnTo(warnings::add);
            RealChannel channel = link.master.sendExec(new byte[0]);
            RealChannel there = link.workerRole.executions.poll(30, TimeUnit.SECONDS);
            channel.send(new byte[5000]); // the window's credit, overdrawn: the next send waits
            CompletableFuture<Void> stuck = CompletableFuture.runAsync(() -> channel.send(new byte[10]));
            awaitReportScheduled(link.master.checks());
            link.clock.advance(Duration.ofMillis(1999));
            link.settle();
            assertEquals(List.of(), warnings, "not before the heartbeat interval");
            link.clock.advance(Duration.ofMillis(1));
            link.settle();
            assertEquals(1, warnings.size(), String.valueOf(warnings));
            assertTrue(warnings.get(0).startsWith("a send on <Channel id=1 of gw0> has waited 2000 ms so far: "), warnings.get(0));
            assertSaysWhyAndWhatToDo(warnings.get(0));
            for (int second = 0; second < 60; second++) {
                link.clock.advance(Duration.ofSeconds(1));
                link.settle();
            }
            assertEquals(1, warnings.size(), "once");
            assertEquals(5000, ((byte[]) there.receive(Link.T)).length); // the worker reads: its grant goes back
            link.settle();
            stuck.get(30, TimeUnit.SECONDS);
            assertEquals(Connection.Phase.OPEN, link.master.phase());
        }
    }

    /** Waits until the send, on its own thread, has begun to wait and scheduled its report. */
    private static void awaitReportScheduled(TaskQueue checks) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            checks.runner.lock.lock();
            try {
                if (checks.scheduled.stream().anyMatch(task -> task.name.startsWith("stuck send"))) {
                    return;
                }
            } finally {
                checks.runner.lock.unlock();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the send did not wait for credit");
    }

    @Test
    void aSendWhoseTimeoutPassesSaysWhyAndWhatToDo() throws Exception {
        try (Link link = new Link(WINDOW)) {
            RealChannel channel = link.master.sendExec(new byte[0]);
            channel.send(new byte[5000]);
            ChannelTimeoutException e = assertThrows(ChannelTimeoutException.class, () -> channel.send(new byte[10], Duration.ZERO));
            assertTrue(e.getMessage().startsWith("cannot send on <Channel id=1 of gw0> within PT0S: "), e.getMessage());
            assertSaysWhyAndWhatToDo(e.getMessage());
            assertTrue(e.getMessage().contains("5006 bytes"), e.getMessage());
        }
    }
}
