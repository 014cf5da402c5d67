package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.Processes;
import org.jexecnet.testing.SilentMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fault injection: workers and masters killed at random points; what survives delivers everything, nothing is left. */
@ExtendWith(NoLeftoverWorkers.class)
class FaultTest {
    static final Duration T = Duration.ofSeconds(60);
    private static final Object END = new Object();

    /** Squares what it is sent until it gets null; reports its pid first. */
    static void square(Channel channel) {
        channel.send(ProcessHandle.current().pid());
        for (Object task : channel) {
            if (task == null) {
                return;
            }
            int n = (Integer) task;
            channel.send(Tuple.of(n, (long) n * n));
        }
    }

    @Test
    void killingWorkersAtRandomPointsOfAFarmLosesNoResultOfTheSurvivors() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 3; round++) {
            try (Group group = new Group("popen", "popen", "popen")) {
                MultiChannel channels = group.remoteExec(FaultTest::square);
                BlockingQueue<Received> queue = channels.makeReceiveQueue(END);
                Deque<Integer> tasks = new ArrayDeque<>();
                for (int n = 0; n < 600; n++) {
                    tasks.add(n);
                }
                Map<Channel, Long> pids = new HashMap<>();
                Map<Channel, Integer> inFlight = new HashMap<>();
                List<Channel> idle = new ArrayList<>(); // asked for work while none was left, but a task may yet come back
                Set<Integer> done = new HashSet<>();
                Channel victim = channels.get(random.nextInt(3));
                int killAt = 50 + random.nextInt(400);
                boolean victimGone = false;
                for (int open = 3; open > 0; ) {
                    Received received = queue.poll(T.toSeconds(), TimeUnit.SECONDS);
                    assertTrue(received != null, "the farm stalled");
                    Channel channel = received.channel();
                    if (received.item() == END) {
                        open--;
                        Integer orphan = inFlight.remove(channel);
                        if (channel == victim) {
                            victimGone = true;
                            if (orphan != null) {
                                tasks.addFirst(orphan); // the task the killed worker held goes to a survivor
                            }
                        }
                    } else {
                        if (received.item() instanceof Number pid) { // integers arrive as the narrowest type
                            pids.put(channel, pid.longValue());
                        } else {
                            Tuple result = (Tuple) received.item();
                            int n = (Integer) result.get(0);
                            assertEquals((long) n * n, ((Number) result.get(1)).longValue());
                            done.add(n);
                            inFlight.remove(channel);
                        }
                        if (channel == victim && done.size() >= killAt && pids.containsKey(victim)) {
                            ProcessHandle.of(pids.get(victim)).orElseThrow().destroyForcibly(); // kill -9, task or not
                        }
                        idle.add(channel);
                    }
                    // Hand out work; end the idle ones only when no task can come back any more.
                    while (!idle.isEmpty() && !tasks.isEmpty()) {
                        Channel worker = idle.remove(0);
                        if (worker == victim && victimGone) {
                            continue;
                        }
                        int task = tasks.poll();
                        try {
                            worker.send(task);
                            inFlight.put(worker, task);
                        } catch (ChannelClosedException dead) {
                            tasks.addFirst(task);
                        }
                    }
                    if (tasks.isEmpty() && victimGone) {
                        for (Channel worker : idle) {
                            if (worker != victim) {
                                worker.send(null);
                            }
                        }
                        idle.clear();
                    }
                }
                assertEquals(600, done.size(), "round " + round + ": every task's result, despite the killed worker");
                assertThrows(ConnectionLostException.class, () -> victim.waitClose(T), "the dead worker's channel reports the loss");
            }
        }
    }

    /**
     * Starts a master process with these gateways, its last worker running remote code that leaves a child
     * and a double-forked grandchild behind; kill -9s the master, and waits for the worker and both to go.
     */
    static void killMasterAndAwaitWorker(Duration within, String... specs) throws Exception {
        SilentMaster.Started started = SilentMaster.startWithOffspring(specs);
        try {
            started.master().destroyForcibly(); // kill -9
            String what = " of a killed master (" + String.join(", ", specs) + ")";
            Processes.awaitExited(started.workerPid(), within, "the worker" + what);
            Processes.awaitExited(started.offspring().get(0), within, "the child of the worker" + what);
            Processes.awaitExited(started.offspring().get(1), within, "the double-forked grandchild of the worker" + what);
        } finally {
            started.master().destroyForcibly();
            started.master().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void killingTheMasterLeavesNoWorkerOfPopenOrViaGatewaysNorWhatTheyStarted() throws Exception {
        killMasterAndAwaitWorker(Duration.ofSeconds(10), "popen");
        killMasterAndAwaitWorker(Duration.ofSeconds(10), "popen//heartbeat=0//window=0");
        killMasterAndAwaitWorker(Duration.ofSeconds(10), "popen//id=hop", "popen//id=inner//via=hop"); // the inner one, two hops away
    }
}
