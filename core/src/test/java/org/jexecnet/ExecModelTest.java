package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The execution models: where remote code runs, and what happens when executions overlap. */
@ExtendWith(NoLeftoverWorkers.class)
class ExecModelTest {
    static final Duration T = Duration.ofSeconds(30);
    private static final String THREAD_NAME = "channel.send(Thread.currentThread().getName());";

    @Test
    void threadModelRunsOneExecutionAtATimeOnTheMainThread() {
        try (Group group = new Group("popen//execmodel=thread")) {
            Gateway gw = group.get(0);
            Channel first = gw.remoteExec(THREAD_NAME);
            assertEquals("main", first.receive(T), "the first execution");
            first.waitClose(T); // the main thread is free again once the execution has ended
            Channel blocking = gw.remoteExec(THREAD_NAME + " channel.receive();");
            assertEquals("main", blocking.receive(T));
            Channel concurrent = gw.remoteExec(THREAD_NAME);
            assertEquals("jexecnet-exec", concurrent.receive(T), "while main is busy, another thread");
            blocking.send("done");
            blocking.waitClose(T);
        }
    }

    @Test
    void mainThreadOnlyRunsEveryExecutionOnTheMainThread() {
        try (Group group = new Group("popen//execmodel=main_thread_only")) {
            Gateway gw = group.get(0);
            for (int i = 0; i < 10; i++) {
                Channel channel = gw.remoteExec(THREAD_NAME);
                assertEquals("main", channel.receive(T));
                channel.waitClose(T);
            }
            assertEquals("main_thread_only", gw.remoteStatus(T).execModel());
        }
    }

    @Test
    void mainThreadOnlyRefusesAConcurrentExecutionAndAFailureDoesNotBreakTheNext() {
        try (Group group = new Group("popen//execmodel=main_thread_only")) {
            Gateway gw = group.get(0);
            Channel busy = gw.remoteExec("channel.send(1); channel.receive();");
            assertEquals(1, (Integer) busy.receive(T));
            Channel refused = gw.remoteExec(THREAD_NAME);
            RemoteException e = assertThrows(RemoteException.class, () -> refused.receive(T));
            assertTrue(e.getMessage().contains("concurrent remote_exec would cause deadlock for main_thread_only execmodel"),
                    e.getMessage());
            busy.send("done");
            busy.waitClose(T);

            // Unlike execnet 2.x, a task that throws leaves the main thread usable.
            assertThrows(RemoteException.class, () -> gw.remoteExec("throw new Error(\"task fails\");").waitClose(T));
            assertEquals("main", gw.remoteExec(THREAD_NAME).receive(T));
        }
    }

    @Test
    void virtualNeedsAJvmWithVirtualThreads() {
        try (Group group = new Group()) {
            ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway("popen//execmodel=virtual"));
            assertTrue(e.getMessage().contains("execmodel=virtual needs virtual threads (Java 21 or newer)"), e.getMessage());

            Gateway gw = group.makeGateway("popen//execmodel=virtual//java=" + GatewayTest.OTHER_JDK);
            List<Object> answers = new ArrayList<>();
            gw.remoteExec("channel.send(Thread.currentThread().toString().startsWith(\"VirtualThread\"));").forEach(answers::add);
            assertEquals(List.of(true), answers);
            assertEquals("virtual", gw.remoteStatus(T).execModel());
        }
    }
}
