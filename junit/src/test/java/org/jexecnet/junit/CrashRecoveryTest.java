package org.jexecnet.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jexecnet.ExecnetException;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Workers that die in the middle of a test: by System.exit, by running out of heap, by kill -9. The test
 * they ran fails with the cause, a new worker takes the dead one's place, and the rest of the suite runs.
 */
@ExtendWith(NoLeftoverWorkers.class)
@Timeout(180)
class CrashRecoveryTest {
    private static final String FIXTURE = "org.jexecnet.junit.fixture.";

    private static DistributedTests.Builder classes(String... names) {
        return DistributedTests.builder().classPath(Fixture.classPath()).selectClasses(List.of(names).stream().map(n -> FIXTURE + n).toList());
    }

    private static void assertPassed(Recorder progress, String... names) {
        for (String name : names) {
            assertEquals(Status.SUCCESSFUL, progress.test(name).result().getStatus(), name);
        }
    }

    private static String crashMessage(Recorder.Finished crashed) {
        assertEquals(Status.FAILED, crashed.result().getStatus());
        Throwable cause = crashed.result().getThrowable().orElseThrow();
        assertInstanceOf(WorkerCrashedException.class, cause);
        return cause.getMessage();
    }

    @Test
    void aWorkerThatExitsFailsItsTestWithTheExitStatusAndItsLastWords() throws Exception {
        Recorder progress = new Recorder();
        try (Group group = new Group("popen//jvmargs=-Dfixture.crash=exit")) {
            TestRunResult result = classes("crash.ExitingTest", "PassingTest").progress(progress).build().run(group);
            String message = crashMessage(progress.test("exits()"));
            assertTrue(message.startsWith("gw0 crashed while running ExitingTest > exits(): exit status 3, last stderr: "), message);
            assertTrue(message.endsWith("exiting with status 3 on purpose"), message);
            assertPassed(progress, "passesBefore()", "passesAfter()", "adds()");
            assertEquals(List.of(message), result.crashes());
            assertEquals(1, progress.crashes.size());
            assertTrue(progress.crashes.get(0).startsWith("gw0 replaced: "), progress.crashes.toString());
            assertEquals("gw1", progress.test("passesAfter()").worker(), "the rest of the class ran on the replacement");
            TestExecutionSummary summary = result.summaries().get("load");
            assertEquals(1, summary.getTestsFailedCount());
            assertEquals(7, summary.getTestsSucceededCount());
            assertTrue(group.contains("gw1"), "the replacement joined the caller's group: " + group);
        }
    }

    @Test
    void aWorkerOutOfHeapIsGivenUpAndReplaced() throws Exception {
        Recorder progress = new Recorder();
        try (Group group = new Group("popen//jvmargs=-Xmx64m -Dfixture.crash=oom")) {
            TestRunResult result = classes("crash.OutOfMemoryTest").progress(progress).build().run(group);
            String message = crashMessage(progress.test("exhaustsTheHeap()"));
            assertTrue(message.startsWith("gw0 crashed while running OutOfMemoryTest > exhaustsTheHeap(): the JUnit Platform gave up on it after"
                    + " java.lang.OutOfMemoryError"), message);
            assertPassed(progress, "passes()");
            assertEquals(1, result.crashes().size());
        }
    }

    @Test
    void killingAWorkerMidSuiteLeavesOneFailureThatNamesItAndEverythingElseRuns() throws Exception {
        try (Group group = new Group("popen//jvmargs=-Dfixture.crash=hang", "popen//jvmargs=-Dfixture.crash=hang")) {
            Killer killer = new Killer(group, "waitsToBeKilled()");
            TestRunResult result = classes("crash.HangingTest", "PassingTest", "FailingTest", "SkippedTest").progress(killer).build().run(group);
            String message = crashMessage(killer.test("waitsToBeKilled()"));
            assertTrue(message.matches("gw[01] crashed while running HangingTest > waitsToBeKilled\\(\\): exit status 137.*"), message);
            TestExecutionSummary summary = result.summaries().get("load");
            assertEquals(4, summary.getTestsFailedCount(), "the crash and FailingTest's three");
            assertEquals(7, summary.getTestsSucceededCount(), "PassingTest's five, FailingTest's and SkippedTest's one each");
            assertEquals(1, result.crashes().size());
        }
    }

    /** Kills with SIGKILL, once, the worker that starts a test of this display name. */
    private static final class Killer extends Recorder {
        private final Map<String, Long> pids = new HashMap<>();
        private final String victim;
        private boolean killed;

        Killer(Group group, String victim) {
            this.victim = victim;
            for (Gateway gateway : group) {
                pids.put(gateway.id(), gateway.remoteInfo(Duration.ofSeconds(30)).pid());
            }
        }

        @Override
        public void testStarted(String worker, TestIdentifier test) {
            if (test.getDisplayName().equals(victim) && !killed) {
                killed = true;
                ProcessHandle.of(pids.get(worker)).orElseThrow().destroyForcibly();
            }
        }
    }

    @Test
    void aKillInsideAParameterizedTestRunsTheRestOfItOnceMoreElsewhere(@TempDir Path dir) throws Exception {
        Killed run = killingItsWorkerOnce(dir, "kill-once", "crash.KilledOnceTest");
        assertTrue(crashMessage(run.progress().test("[2] 2")).matches("gw[01] crashed while running KilledOnceTest > killsItsWorkerOnce\\(int\\)"
                + " > \\[2\\] 2: exit status 137.*"), run.progress().test("[2] 2").toString());
        assertPassed(run.progress(), "[1] 1", "[3] 3", "adds()");
        assertEquals(List.of(8L, 7L, 1L, 0L), run.counts(), "each invocation counted once");
    }

    @Test
    void aKillBetweenTheInvocationsOfAParameterizedTestFailsItAndRunsItsRestElsewhere(@TempDir Path dir) throws Exception {
        Killed run = killingItsWorkerOnce(dir, "kill-between", "crash.KilledBetweenInvocationsTest");
        Recorder.Finished template = run.progress().test("killedBetweenItsInvocations(int)");
        assertTrue(crashMessage(template).matches("gw[01] crashed while running KilledBetweenInvocationsTest > killedBetweenItsInvocations\\(int\\):"
                + " exit status 137.*"), template.toString());
        assertPassed(run.progress(), "[1] 1", "[2] 2", "[3] 3", "[4] 4", "adds()");
        assertEquals(List.of(9L, 9L, 0L, 1L), run.counts(), "every invocation ran, once; the container failed");
    }

    @Test
    void aKillBeforeAClassRanAnyTestRunsItsTestsElsewhereAndFailsTheClass(@TempDir Path dir) throws Exception {
        Killed run = killingItsWorkerOnce(dir, "kill-before-all", "crash.KilledBeforeItsTestsTest");
        Recorder.Finished killed = run.progress().test("KilledBeforeItsTestsTest");
        assertTrue(crashMessage(killed).matches("gw[01] crashed while running KilledBeforeItsTestsTest: exit status 137.*"), killed.toString());
        assertPassed(run.progress(), "first()", "second()", "adds()");
        assertEquals(List.of(7L, 7L, 0L, 1L), run.counts(), "both its tests ran, once; the class failed");
    }

    @Test
    void aContainerACrashHitBetweenItsTestsEndsWithTheCrashWhenNoWorkerIsLeftToRunItAgain(@TempDir Path dir) throws Exception {
        Recorder progress = new Recorder();
        try (Group group = new Group("popen//jvmargs=-Dfixture.crash=kill-between -Dfixture.marker=" + dir.resolve("ran-once"))) {
            classes("crash.KilledBetweenInvocationsTest").maxWorkerRestarts(0).progress(progress).build().run(group);
        }
        Recorder.Finished template = progress.test("killedBetweenItsInvocations(int)");
        assertTrue(crashMessage(template).matches("gw0 crashed while running KilledBetweenInvocationsTest > killedBetweenItsInvocations\\(int\\):"
                + " exit status 137.*"), template.toString());
        assertPassed(progress, "[1] 1", "[2] 2");
    }

    /** A run of a fixture that kills its own worker once ({@code -Dfixture.crash=MODE}) and PassingTest, on two workers. */
    private static Killed killingItsWorkerOnce(Path dir, String mode, String fixture) throws Exception {
        String spec = "popen//jvmargs=-Dfixture.crash=" + mode + " -Dfixture.marker=" + dir.resolve("ran-once");
        try (Group group = new Group(spec, spec)) {
            Recorder progress = new Recorder();
            TestRunResult result = classes(fixture, "PassingTest").progress(progress).build().run(group);
            return new Killed(progress, result.summaries().get("load"));
        }
    }

    private record Killed(Recorder progress, TestExecutionSummary summary) {
        /** Tests found, succeeded and failed, and containers failed. */
        List<Long> counts() {
            return List.of(summary.getTestsFoundCount(), summary.getTestsSucceededCount(), summary.getTestsFailedCount(),
                    summary.getContainersFailedCount());
        }
    }

    @Test
    void withoutRestartsLeftTheRestFailsAsNotRun() throws Exception {
        Recorder progress = new Recorder();
        try (Group group = new Group("popen//jvmargs=-Dfixture.crash=exit")) {
            TestRunResult result = classes("crash.ExitingTest").maxWorkerRestarts(0).progress(progress).build().run(group);
            assertEquals(1, result.exitCode());
            assertTrue(progress.crashes.get(0).startsWith("gw0 not replaced: "), progress.crashes.toString());
            Recorder.Finished container = progress.finished.stream().filter(f -> f.test().isContainer()).findFirst().orElseThrow();
            TestExecutionResult notRun = container.result();
            assertEquals(Status.FAILED, notRun.getStatus());
            assertTrue(notRun.getThrowable().orElseThrow().getMessage().startsWith("not run: no worker left in load (1 crashed, --max-worker-restart 0)"),
                    notRun.getThrowable().orElseThrow().getMessage());
            assertFalse(progress.finished.stream().anyMatch(f -> f.test().getDisplayName().equals("passesAfter()")));
        }
    }

    @Test
    void aSuiteThatKillsEveryWorkerWhileDiscoveredEndsTheRunWithTheCause() {
        try (Group group = new Group("popen//jvmargs=-Dfixture.crash=discovery")) {
            ExecnetException failed = assertThrows(ExecnetException.class, () -> classes("PassingTest").maxWorkerRestarts(1).build().run(group));
            assertTrue(failed.getMessage().startsWith("no worker left in load (2 crashed, --max-worker-restart 1) before the suite was discovered:"
                    + " gw0 crashed: exit status 4, last stderr: exiting during discovery on purpose; gw1 crashed: exit status 4"), failed.getMessage());
        }
    }
}
