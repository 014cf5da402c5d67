package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** EXECNET_DEBUG as execnet reads it, on the worker side, where a popen worker inherits it. */
@ExtendWith(NoLeftoverWorkers.class)
class TracingTest {
    static final Duration T = Duration.ofSeconds(30);

    @Test
    void debugOneWritesATraceFilePerWorkerProcess(@TempDir Path tmp) throws Exception {
        long pid;
        try (Group group = new Group("popen//env:EXECNET_DEBUG=1//jvmargs=-Djava.io.tmpdir=" + tmp)) {
            Gateway gw = group.get(0);
            pid = gw.remoteInfo(T).pid();
            gw.remoteExec("channel.send(1);").receive(T);
        }
        Path trace = tmp.resolve("execnet-debug-" + pid);
        String text = Files.readString(trace);
        assertTrue(text.contains("creating workergateway gw0-worker"), text);
        assertTrue(text.contains("gw0-worker [receiver-thread] received <Message CHANNEL_EXEC channel="), text);
        assertTrue(text.contains("gw0-worker execution starts["), text);
        assertTrue(text.contains("gw0-worker execution finished["), text);
    }

    @Test
    void debugTwoSendsTheWorkersTraceToTheMastersStderr() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        long pid;
        try (Group group = new Group("popen//env:EXECNET_DEBUG=2")) {
            pid = group.get(0).remoteInfo(T).pid();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("[" + pid + "] creating workergateway"), text);
    }

    @Test
    void withoutTheVariableAWorkerTracesNothing() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Group group = new Group("popen")) {
            group.get(0).remoteExec("channel.send(1);").receive(T);
        } finally {
            System.setErr(original);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).isEmpty(), captured.toString(StandardCharsets.UTF_8));
    }
}
