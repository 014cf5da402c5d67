package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jexecnet.internal.gateway.MasterGateway;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** via= gateways: workers started from another gateway's host, their bytes relayed through it. */
@ExtendWith(NoLeftoverWorkers.class)
class ViaGatewayTest {
    static final Duration T = Duration.ofSeconds(30);

    private static long pid(Gateway gw) {
        return gw.remoteExec(ch -> ch.send(ProcessHandle.current().pid())).receive(long.class, T);
    }

    private static long parent(long pid) {
        return ProcessHandle.of(pid).orElseThrow().parent().orElseThrow().pid();
    }

    @Test
    void aWorkerStartedThroughAnotherIsThatWorkersChild() {
        try (Group group = new Group("popen//id=outer")) {
            Gateway inner = group.makeGateway("popen//id=inner//via=outer//jvmargs=-Dplace=inner");
            Channel channel = inner.remoteExec(ch -> {
                for (Object item : ch) {
                    ch.send(System.getProperty("place") + ":" + item);
                }
            });
            for (int i = 0; i < 100; i++) {
                channel.send(i);
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("inner:" + i, channel.receive(T));
            }
            channel.close();
            assertEquals(pid(group.get("outer")), parent(pid(inner)));
            byte[] big = new byte[3 << 20];
            big[big.length - 1] = 7;
            Channel echo = inner.remoteExec(ch -> ch.send(ch.receive()));
            echo.send(big);
            assertEquals(7, echo.receive(byte[].class, T)[big.length - 1]);
            assertEquals(1, group.get("outer").remoteStatus(T).numExecuting(), "the relay");
        }
    }

    @Test
    void chainsOfViaReachAsFarAsTheyGo() {
        try (Group group = new Group("popen//id=a", "popen//id=b//via=a", "popen//id=c//via=b")) { // in order, as execnet
            Gateway c = group.get("c");
            assertEquals(pid(group.get("a")), parent(parent(pid(c))));
            long[] pids = {pid(group.get("a")), pid(group.get("b")), pid(c)};
            group.terminate(Duration.ofSeconds(10));
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " ended");
            }
        }
    }

    @Test
    void aPythonWorkerThroughAJvmGateway() {
        try (Group group = new Group("popen//id=jvm")) {
            Gateway py = group.makeGateway("popen//python=/usr/bin/python3//via=jvm");
            Channel channel = py.remoteExec("import os\nchannel.send(os.getppid())");
            assertEquals(pid(group.get("jvm")), channel.receive(long.class, T));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> group.makeGateway("popen//via=" + py.id()));
            assertTrue(e.getMessage().contains("a via= gateway must be a JVM"), e.getMessage());
        }
    }

    @Test
    void badViasAreRefusedWithTheReason() {
        try (Group group = new Group("popen//id=outer")) {
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> group.makeGateway("popen//via=nowhere"));
            assertTrue(unknown.getMessage().contains("no gateway 'nowhere'"), unknown.getMessage());
            ExecnetException cannot = assertThrows(ExecnetException.class,
                    () -> group.makeGateway("popen//id=lost//via=outer//java=/opt/none/bin/java"));
            assertTrue(cannot.getMessage().contains("/opt/none/bin/java does not exist"), cannot.getMessage());
            assertFalse(group.contains("lost"));
            assertEquals(0, group.get("outer").remoteStatus(T).numExecuting(), "the failed relay ended");
        }
    }

    @Test
    void killingAnInnerGatewayLeavesTheOuterServing() throws Exception {
        try (Group group = new Group("popen//id=outer")) {
            Gateway inner = group.makeGateway("popen//id=inner//via=outer");
            ProcessHandle worker = ProcessHandle.of(pid(inner)).orElseThrow();
            ((MasterGateway) inner).kill();
            worker.onExit().get(30, TimeUnit.SECONDS);
            assertThrows(ConnectionLostException.class, () -> inner.remoteExec(ch -> ch.send(1)).receive(T));
            assertEquals(List.of(2), List.of(group.get("outer").remoteExec(ch -> ch.send(2)).receive(Integer.class, T)));
        }
    }

    @Test
    void whenTheOuterWorkerDiesTheInnerEndsToo() throws Exception {
        try (Group group = new Group("popen//id=outer")) {
            Gateway inner = group.makeGateway("popen//id=inner//via=outer");
            ProcessHandle innerWorker = ProcessHandle.of(pid(inner)).orElseThrow();
            // kill -9 of the outer worker alone: the inner one must notice its input end and exit by itself
            ProcessHandle.of(pid(group.get("outer"))).orElseThrow().destroyForcibly();
            innerWorker.onExit().get(30, TimeUnit.SECONDS);
            assertThrows(ConnectionLostException.class, () -> inner.remoteExec(ch -> ch.send(1)).receive(T));
        }
    }
}
