package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.remote.Offspring;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** execnet's test_termination.py checklist, and the robustness execnet lacks. */
@ExtendWith(NoLeftoverWorkers.class)
class TerminationTest {
    static final Duration T = Duration.ofSeconds(30);

    private static ProcessHandle worker(Gateway gw) {
        return ProcessHandle.of(gw.remoteInfo(T).pid()).orElseThrow();
    }

    @Test
    void aWorkerKilledMidConversationFailsEveryWaitAtOnce() throws Exception {
        try (Group group = new Group()) {
            Gateway gw = group.makeGateway();
            Channel receiving = gw.remoteExec("channel.receive();");
            Channel withCallback = gw.remoteExec("channel.receive();");
            BlockingQueue<Object> got = new LinkedBlockingQueue<>();
            withCallback.setCallback(got::add, "END");
            MultiChannel multi = new MultiChannel(List.of(gw.remoteExec("channel.receive();")));
            BlockingQueue<Received> queue = multi.makeReceiveQueue("END");

            ProcessHandle process = worker(gw);
            process.destroyForcibly();
            process.onExit().get(T.toSeconds(), TimeUnit.SECONDS);

            ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> receiving.receive(T));
            assertTrue(lost.getMessage().contains("connection to gw0 lost"), lost.getMessage());
            assertThrows(ConnectionLostException.class, () -> receiving.waitClose(T));
            assertThrows(ChannelClosedException.class, () -> receiving.send(1));
            assertEquals("END", got.poll(T.toSeconds(), TimeUnit.SECONDS), "callbacks get their end marker");
            assertEquals("END", queue.poll(T.toSeconds(), TimeUnit.SECONDS).item(), "receive queues get theirs");
            assertFalse(gw.isAlive());
            assertThrows(ConnectionLostException.class, () -> gw.remoteExec("channel.send(1);"));
        }
    }

    @Test
    void terminateEndsWorkersBlockedInReceiveOrBusyIgnoringInterrupts() throws Exception {
        Group group = new Group("popen", "popen");
        Channel blocked = group.get(0).remoteExec("channel.send(1); channel.receive();");
        Channel spinning = group.get(1).remoteExec("""
                channel.send(1);
                while (true) {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException ignored) {
                        // refuses to stop
                    }
                }
                """);
        assertEquals(1, (Integer) blocked.receive(T));
        assertEquals(1, (Integer) spinning.receive(T));
        List<ProcessHandle> workers = List.of(worker(group.get(0)), worker(group.get(1)));
        group.terminate(Duration.ofSeconds(5));
        for (ProcessHandle process : workers) {
            assertFalse(process.isAlive(), "worker " + process.pid() + " is gone when terminate returns");
        }
    }

    @Test
    void terminateKillsAWorkerThatCannotAnswer() throws Exception {
        Group group = new Group("popen");
        ProcessHandle process = worker(group.get(0));
        Process stop = new ProcessBuilder("kill", "-STOP", String.valueOf(process.pid())).start();
        assertTrue(stop.waitFor(10, TimeUnit.SECONDS) && stop.exitValue() == 0);
        long start = System.nanoTime();
        group.terminate(Duration.ofMillis(300));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse(process.isAlive(), "a stopped worker is killed");
        assertTrue(tookMillis < 10_000, "terminate is bounded: it took " + tookMillis + " ms");
    }

    /** Runs {@link Offspring} on the gateway: the pids of the child and the double-forked grandchild it leaves running. */
    static List<Long> offspring(Gateway gw, Map<String, Object> kwargs) {
        List<?> started = gw.remoteExec(Offspring.class, kwargs).receive(List.class, T);
        assertFalse(Processes.exited(((Number) started.get(0)).longValue()), "the child runs");
        assertFalse(Processes.exited(((Number) started.get(1)).longValue()), "the grandchild runs");
        return List.of(((Number) started.get(0)).longValue(), ((Number) started.get(1)).longValue());
    }

    static void awaitGone(List<Long> offspring, String how) {
        Processes.awaitExited(offspring.get(0), Duration.ofSeconds(10), "the child remote code started, after " + how);
        Processes.awaitExited(offspring.get(1), Duration.ofSeconds(10), "the double-forked grandchild remote code started, after " + how);
    }

    @Test
    void whatRemoteCodeStartedEndsWithItsWorkerHoweverTheWorkerEnds() throws Exception {
        try (Group group = new Group()) {
            Gateway closed = group.makeGateway("popen//id=closed");
            List<Long> ofClosed = offspring(closed, Map.of());
            closed.close(); // the worker exits by itself, and kills its process group on the way out
            awaitGone(ofClosed, "close");

            Gateway exiting = group.makeGateway("popen//id=exiting");
            List<Long> ofExiting = offspring(exiting, Map.of());
            exiting.remoteExec("Runtime.getRuntime().halt(0);"); // no shutdown hook runs: the master cleans up after its exit
            awaitGone(ofExiting, "the worker halted");

            Gateway stopped = group.makeGateway("popen//id=stopped");
            List<Long> ofStopped = offspring(stopped, Map.of());
            Processes.signal("STOP", worker(stopped).pid()); // cannot answer: terminate's kill path
            group.terminate(Duration.ofMillis(300));
            awaitGone(ofStopped, "terminate killed the worker");
        }
        try (Group group = new Group()) {
            Gateway killed = group.makeGateway("popen//id=killed");
            List<Long> ofKilled = offspring(killed, Map.of());
            Processes.signal("KILL", worker(killed).pid()); // the master cleans up after its exit
            awaitGone(ofKilled, "kill -9 of the worker");
        }
    }

    @Test
    void aChildStartedWithSetsidOutlivesItsWorkerOnPurpose() throws Exception {
        List<Long> detached = List.of();
        try (Group group = new Group()) {
            Gateway gw = group.makeGateway("popen//id=detaching");
            detached = offspring(gw, Map.of("detached", true));
            long worker = worker(gw).pid();
            gw.close();
            Processes.awaitExited(worker, T, "the worker");
            for (long pid : detached) {
                assertFalse(Processes.exited(pid), "a process that left the worker's group with setsid is left alone: " + pid);
            }
        } finally {
            for (long pid : detached) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static Process master(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.jexecnet.testing.MasterProcess"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static ProcessHandle workerOf(Process master) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8));
        return ProcessHandle.of(Long.parseLong(out.readLine().strip())).orElseThrow();
    }

    @Test
    void aWorkerWhoseMasterIsKilledExitsByItself() throws Exception {
        Process master = master();
        try {
            ProcessHandle worker = workerOf(master);
            master.destroyForcibly();
            worker.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(worker.isAlive());
        } finally {
            master.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMasterThatJustReturnsLeavesNoWorkerBehind() throws Exception {
        Process master = master("exit");
        try {
            ProcessHandle worker = workerOf(master);
            assertTrue(master.waitFor(30, TimeUnit.SECONDS), "the master exits");
            worker.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(worker.isAlive());
        } finally {
            master.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
