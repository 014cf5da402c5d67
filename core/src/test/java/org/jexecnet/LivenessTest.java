package org.jexecnet;

import static org.jexecnet.testing.Processes.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.Processes;
import org.jexecnet.testing.SilentMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The heartbeat between JVM ends, end to end with real processes: a stopped peer is noticed on both
 * sides, also behind a via gateway. The timing (a quiet peer is kept, a large frame and a long callback
 * are no silence, a pause of this JVM is not taken for one) is HeartbeatTest's, by a fake clock.
 */
@ExtendWith(NoLeftoverWorkers.class)
class LivenessTest {
    static final Duration T = Duration.ofSeconds(30);

    @Test
    void aStoppedWorkerIsGivenUpAndEveryWaitHearsWhy() throws Exception {
        try (Group group = new Group("popen//heartbeat=2")) {
            Gateway gw = group.get(0);
            Channel waiting = gw.remoteExec(ch -> ch.send(ch.receive()));
            long pid = gw.remoteInfo(T).pid();
            signal("STOP", pid);
            ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> waiting.receive(T));
            assertTrue(lost.getMessage().contains("no sign of life from gw0 for 2 s (heartbeat)"), lost.getMessage());
            ProcessHandle.of(pid).ifPresent(worker -> worker.onExit().join()); // killed, stopped as it was
            assertThrows(ConnectionLostException.class, () -> gw.remoteExec(ch -> ch.send(1)));
        }
    }

    @Test
    void aSendCutShortByGivingUpAStoppedWorkerSaysWhy() throws Exception {
        try (Group group = new Group("popen//heartbeat=1//window=0")) {
            Gateway gw = group.get(0);
            Channel sink = gw.remoteExec(ch -> ch.receive());
            long pid = gw.remoteInfo(T).pid();
            signal("STOP", pid);
            // The stopped worker reads nothing: the send fills the pipe and waits in its write until the worker is given
            // up and killed, and the write fails. It must say why, not merely that the pipe broke.
            ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> sink.send(new byte[64 << 20]));
            assertTrue(lost.getMessage().contains("no sign of life from gw0 for 1 s (heartbeat)"), lost.getMessage());
        }
    }

    @Test
    void aWorkerWhoseMasterIsStoppedEndsByItself() throws Exception {
        SilentMaster.Started started = SilentMaster.start("popen//heartbeat=2");
        Process master = started.master();
        try {
            signal("STOP", master.pid());
            // The master said nothing for 2 s: the worker leaves. Its stopped parent cannot reap it, so a zombie counts as gone.
            Processes.awaitExited(started.workerPid(), Duration.ofSeconds(30), "the worker of a stopped master");
            String leftover = "jexecnet-gw0-" + master.pid() + "-";
            try (var files = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(leftover)).toList(),
                        "the worker took its usual way out, removing its files directory");
            }
        } finally {
            master.destroyForcibly();
            master.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void heartbeatZeroTurnsItOffAndBadValuesAreRefused() {
        try (Group group = new Group("popen//heartbeat=0")) {
            assertEquals(List.of(1), List.of(group.get(0).remoteExec(ch -> ch.send(1)).receive(Integer.class, T)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XSpec.parse("popen//heartbeat=-1"));
        assertTrue(e.getMessage().contains("heartbeat=-1 is not a number of seconds"), e.getMessage());
    }

    @Test
    void aStoppedWorkerBehindAViaGatewayIsGivenUpToo() throws Exception {
        try (Group group = new Group("popen//id=outer//heartbeat=0", "popen//id=inner//via=outer//heartbeat=2",
                "popen//id=other//heartbeat=2")) {
            long inner = group.get("inner").remoteInfo(T).pid();
            long other = group.get("other").remoteInfo(T).pid();
            Channel waiting = group.get("inner").remoteExec(ch -> ch.send(ch.receive()));
            List<Channel> sinks = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sinks.add(group.get("inner").remoteExec(ch -> Thread.sleep(600_000)));
            }
            signal("STOP", inner);
            for (Channel sink : sinks) { // fill the relay's windows: nothing may wait behind them
                Thread pusher = new Thread(() -> {
                    try {
                        for (int i = 0; i < 64; i++) {
                            sink.send(new byte[256 << 10]);
                        }
                    } catch (RuntimeException given) {
                        // the connection was given up
                    }
                });
                pusher.setDaemon(true);
                pusher.start();
            }
            ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> waiting.receive(T));
            assertTrue(lost.getMessage().contains("no sign of life from inner"), lost.getMessage());
            signal("STOP", other); // an unrelated gateway's silence is still noticed
            Channel otherWaiting = group.get("other").remoteExec(ch -> ch.send(ch.receive()));
            assertThrows(ConnectionLostException.class, () -> otherWaiting.receive(T));
            signal("KILL", inner);
        }
    }
}
