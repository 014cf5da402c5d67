package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Finding 7 of issue 15, as threads: about 20 places started threads of their own, and an idle
 * gateway kept a heartbeat thread, a credit writer and a liveness checker besides its receiver. An idle
 * popen gateway costs at most 3 threads in the master (receiver, stderr pump, the task runner's timer)
 * and 4 in its worker.
 */
@ExtendWith(NoLeftoverWorkers.class)
class ThreadBudgetTest {
    static final Duration T = Duration.ofSeconds(60);
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** The live threads of the application: the main thread group's, not the JVM's own (system, cleaner). */
    static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && inMainGroup(t.getThreadGroup()))
                .map(Thread::getName)
                .sorted()
                .toList();
    }

    private static boolean inMainGroup(ThreadGroup group) {
        for (ThreadGroup g = group; g != null && g.getParent() != null; g = g.getParent()) {
            if (g.getParent().getParent() == null) {
                return g.getName().equals("main"); // the child of the root ("system") that holds the application
            }
        }
        return false;
    }

    /** Waits, bounded, until at most {@code limit} threads are left beyond {@code base}; returns them. */
    static List<String> settle(int base, int limit) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        List<String> now = threads();
        while (now.size() - base > limit && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // threads that finished their work end on their own
            now = threads();
        }
        return now;
    }

    /** The worker's side: counts its threads once those that served the exchange below have ended. */
    static void countIdle(Channel channel) {
        channel.send(settle(0, 4));
    }

    @Test
    void anIdlePopenGatewayCostsThreeThreadsHereAndFourInItsWorker() {
        List<String> before = threads();
        try (Group group = new Group("popen")) {
            Gateway gw = group.get(0);
            // Some traffic both ways first: it used to leave a credit writer on each side for good.
            Channel echo = gw.remoteExec(ch -> {
                for (Object item : ch) {
                    ch.send(item);
                }
            });
            for (int i = 0; i < 8; i++) {
                echo.send(new byte[1 << 20]);
                echo.receive(byte[].class, T);
            }
            echo.close();
            echo.waitClose(T);
            List<?> worker = gw.remoteExec(ThreadBudgetTest::countIdle).receive(List.class, T);
            assertTrue(worker.size() <= 4, "the idle worker runs " + worker.size() + " threads: " + worker);
            List<String> master = settle(before.size(), 3);
            assertTrue(master.size() - before.size() <= 3, "the gateway costs this side " + (master.size() - before.size())
                    + " threads: " + master + ", before it: " + before);
        }
    }
}
