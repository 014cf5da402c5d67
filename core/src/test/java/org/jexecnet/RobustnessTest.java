package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failure paths that must neither hang, nor leak, nor take a worker down. */
@ExtendWith(NoLeftoverWorkers.class)
class RobustnessTest {
    static final Duration T = Duration.ofSeconds(30);

    @Test
    void aClosedWorkerRemovesItsFilesDirectory() throws Exception {
        String id = "files" + System.nanoTime();
        long pid;
        try (Group group = new Group("popen//id=" + id)) {
            Gateway gw = group.get(0);
            gw.remoteExec("channel.send(1);").receive(T);
            assertEquals(1, filesDirectories(id).size(), "the worker keeps shipped classes in a directory of its own");
            pid = gw.remoteInfo(T).pid();
        }
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        assertEquals(List.of(), filesDirectories(id), "and removes it when it exits");
    }

    private static List<Path> filesDirectories(String id) throws Exception {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("jexecnet-" + id + "-")).toList();
        }
    }

    @Test
    void anErrorWhoseTextCannotBeEncodedStillArrivesAndTheWorkerLivesOn() {
        try (Group group = new Group("popen")) {
            Gateway gw = group.get(0);
            RemoteException e = assertThrows(RemoteException.class,
                    () -> gw.remoteExec("throw new IllegalStateException(\"bad \\uD800 text\");").waitClose(T));
            assertTrue(e.getMessage().contains("bad ? text"), e.getMessage());
            assertEquals(2, (Integer) gw.remoteExec("channel.send(2);").receive(T));
        }
    }

    @Test
    void aLocalExecModelThisJvmLacksStartsNoWorker() {
        try (Group group = new Group()) {
            group.setExecModel(ExecModel.VIRTUAL, ExecModel.THREAD);
            assertThrows(IllegalStateException.class, group::makeGateway);
            assertEquals(List.of(), NoLeftoverWorkers.workers());
        }
    }

    @Test
    void aTimeoutThatHasPassedFailsAtOnce() {
        try (Group group = new Group("popen")) {
            Channel channel = group.get(0).remoteExec("channel.receive();");
            assertThrows(ChannelTimeoutException.class, () -> channel.receive(Duration.ofMillis(-5)));
            assertThrows(ChannelTimeoutException.class, () -> channel.waitClose(Duration.ofMillis(-5)));
            channel.send(1);
        }
    }

    @Test
    void closingAChannelWhileItsCallbackWaitsForOurLockDoesNotDeadlock() throws Exception {
        try (Group group = new Group("popen")) {
            Channel channel = group.get(0).remoteExec("channel.send(1); channel.receive();");
            ReentrantLock lock = new ReentrantLock();
            CountDownLatch inCallback = new CountDownLatch(1);
            lock.lock();
            try {
                channel.setCallback(item -> {
                    inCallback.countDown();
                    lock.lock(); // waits for the test thread, which is closing the channel
                    lock.unlock();
                });
                assertTrue(inCallback.await(T.toSeconds(), TimeUnit.SECONDS));
                channel.close(); // must not wait for the callback
            } finally {
                lock.unlock();
            }
            assertTrue(channel.isClosed());
            assertTrue(group.get(0).isAlive());
        }
    }

    @Test
    void anExitedGatewayIsStillEndedByTerminate() throws Exception {
        Group group = new Group("popen");
        Gateway gw = group.get(0);
        ProcessHandle worker = ProcessHandle.of(gw.remoteInfo(T).pid()).orElseThrow();
        new ProcessBuilder("kill", "-STOP", String.valueOf(worker.pid())).start().waitFor(10, TimeUnit.SECONDS);
        gw.exit();
        assertFalse(group.contains(gw));
        group.terminate(Duration.ofMillis(200));
        assertFalse(worker.isAlive(), "terminate killed the stopped worker of the exited gateway");
    }
}
