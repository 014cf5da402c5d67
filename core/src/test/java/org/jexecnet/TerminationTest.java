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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
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
