package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runner's schedule, by a fake clock (nothing runs until the test says so), and its threads. */
class TaskRunnerTest {
    private final FakeClock clock = new FakeClock();
    private final TaskRunner runner = TaskRunner.manual(clock);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    private Task recording(String name, long againAfterNanos) {
        return Task.of(name, Task.Kind.QUICK, () -> {
            ran.add(name);
            return againAfterNanos;
        });
    }

    @Test
    void tasksRunWhenDueInTimeOrderAndRecurAsTheyAsk() {
        TaskQueue a = runner.newQueue("a");
        TaskQueue b = runner.newQueue("b");
        a.schedule(recording("a every 10 ms", TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.MILLISECONDS.toNanos(10));
        b.schedule(recording("b once at 15 ms", -1), TimeUnit.MILLISECONDS.toNanos(15));
        b.execute("b now", Task.Kind.MAY_BLOCK, () -> ran.add("b now"));
        runner.runDueTasks();
        assertEquals(List.of("b now"), ran, "nothing else is due before the clock moves");
        clock.advance(Duration.ofMillis(10));
        runner.runDueTasks();
        clock.advance(Duration.ofMillis(5));
        runner.runDueTasks();
        clock.advance(Duration.ofMillis(5));
        runner.runDueTasks();
        assertEquals(List.of("b now", "a every 10 ms", "b once at 15 ms", "a every 10 ms"), ran);
    }

    @Test
    void aTaskScheduledTwiceRunsOnceAtTheEarlierTime() {
        TaskQueue queue = runner.newQueue("q");
        Task task = recording("flush", -1);
        queue.schedule(task, TimeUnit.MILLISECONDS.toNanos(5));
        queue.schedule(task, TimeUnit.MILLISECONDS.toNanos(1));
        queue.schedule(task, TimeUnit.MILLISECONDS.toNanos(3));
        clock.advance(Duration.ofMillis(1));
        runner.runDueTasks();
        clock.advance(Duration.ofMillis(10));
        runner.runDueTasks();
        assertEquals(List.of("flush"), ran);
    }

    @Test
    void cancelledAndShutDownQueuesRunNothing() {
        TaskQueue queue = runner.newQueue("q");
        Task cancelled = recording("cancelled", -1);
        queue.schedule(cancelled, 0);
        queue.cancel(cancelled);
        TaskQueue closing = runner.newQueue("closing");
        closing.schedule(recording("dropped", -1), 0);
        closing.shutdown();
        closing.schedule(recording("refused", -1), 0);
        clock.advance(Duration.ofSeconds(1));
        runner.runDueTasks();
        assertEquals(List.of(), ran);
    }

    @Test
    void aTaskIsBoundToItsQueue() {
        Task task = recording("t", -1);
        runner.newQueue("first").schedule(task, 0);
        assertThrows(IllegalStateException.class, () -> runner.newQueue("second").schedule(task, 0));
    }

    @Test
    void aFailingTaskIsReportedAndTheQueueGoesOn() {
        TaskQueue queue = runner.newQueue("q");
        queue.execute("fails", Task.Kind.QUICK, () -> {
            throw new IllegalStateException("on purpose");
        });
        queue.execute("next", Task.Kind.QUICK, () -> ran.add("next"));
        runner.runDueTasks();
        assertEquals(List.of("next"), ran);
    }

    /** The shared runner, on real threads: a task that blocks holds its own queue only. */
    @Test
    void aBlockedTaskHoldsUpOnlyItsOwnQueue() throws InterruptedException {
        TaskRunner shared = TaskRunner.shared();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blockedRan = new CountDownLatch(1);
        CountDownLatch quickRan = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        TaskQueue blocked = shared.newQueue("blocked");
        blocked.execute("waits for the test", Task.Kind.MAY_BLOCK, () -> {
            blockedRan.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        blocked.execute("behind it", Task.Kind.MAY_BLOCK, () -> ran.add("behind it"));
        assertTrue(blockedRan.await(30, TimeUnit.SECONDS));
        shared.newQueue("checks").execute("quick", Task.Kind.QUICK, quickRan::countDown);
        shared.newQueue("writes").execute("may block", Task.Kind.MAY_BLOCK, otherRan::countDown);
        assertTrue(quickRan.await(30, TimeUnit.SECONDS), "the timer ran a quick task");
        assertTrue(otherRan.await(30, TimeUnit.SECONDS), "another worker ran another queue's task");
        assertEquals(List.of(), ran, "the blocked queue's next task waits for it");
        release.countDown();
        CountDownLatch after = new CountDownLatch(1);
        blocked.execute("after", Task.Kind.MAY_BLOCK, after::countDown);
        assertTrue(after.await(30, TimeUnit.SECONDS));
        assertEquals(List.of("behind it"), ran, "in order");
    }
}
