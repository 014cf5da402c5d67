package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.PythonExecnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Java master driving Python execnet's own workers ({@code popen//python=...}): what is particular
 * to them (Python's types and tracebacks, Java code refused, a missing execnet, mixed groups). The
 * channel semantics both kinds of worker share are {@link ChannelSemanticsTest}'s, run against each.
 */
@ExtendWith(NoLeftoverWorkers.class)
class PythonWorkerTest {
    static final Duration T = Duration.ofSeconds(30);
    static final String PYTHON = "popen//python=" + PythonExecnet.interpreter();

    private static Group group;
    private static Gateway py;

    @BeforeAll
    static void start() {
        group = new Group(PYTHON + "//id=py");
        py = group.get(0);
    }

    @AfterAll
    static void stop() {
        group.terminate(Duration.ofSeconds(5));
    }

    @Test
    void valuesGoBothWaysAsPythonTypes() {
        Channel channel = py.remoteExec("""
                for item in channel:
                    channel.send((type(item).__name__, item))
                """);
        List<Object> sent = List.of(1, 1L << 40, "text", 2.5, List.of(1, 2), Tuple.of(1, "a"), Map.of("k", 1), Set.of(3),
                FrozenSet.of(4), new Complex(1, 2), true);
        List<String> types = List.of("int", "int", "str", "float", "list", "tuple", "dict", "set", "frozenset", "complex", "bool");
        for (int i = 0; i < sent.size(); i++) {
            channel.send(sent.get(i));
            Tuple answer = channel.receive(Tuple.class, T);
            assertEquals(types.get(i), answer.get(0));
            assertEquals(sent.get(i), answer.get(1));
        }
        channel.send(new byte[] {1, 2});
        Tuple bytes = channel.receive(Tuple.class, T);
        assertEquals("bytes", bytes.get(0));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) bytes.get(1));
        channel.close();
    }

    @Test
    void aPythonExceptionArrivesOnceAsATracebackThenTheChannelIsClosed() {
        Channel channel = py.remoteExec("channel.send(42)\nraise ValueError('boom')");
        assertEquals(42, (Integer) channel.receive(T));
        RemoteException e = assertThrows(RemoteException.class, () -> channel.receive(T));
        assertEquals("ValueError", e.remoteType());
        assertTrue(e.remoteTrace().startsWith("Traceback (most recent call last):"), e.remoteTrace());
        assertTrue(e.remoteTrace().contains("File \"<remote exec>\", line 2"), e.remoteTrace());
        ChannelClosedException closed = assertThrows(ChannelClosedException.class, () -> channel.receive(T));
        assertFalse(closed instanceof ConnectionLostException);
    }

    @Test
    void statusInfoAndTheWorkersOwnRules() {
        Channel busy = py.remoteExec("channel.send('running')\nchannel.receive()");
        assertEquals("running", busy.receive(T));
        RemoteStatus status = py.remoteStatus(T);
        assertEquals(1, status.numExecuting());
        assertEquals("thread", status.execModel());
        busy.send(1);
        busy.waitClose(T);
        RemoteInfo info = py.remoteInfo(T);
        assertTrue(info.runtime().startsWith("Python 3."), info.runtime());
        assertEquals(PythonExecnet.interpreter(), info.executable());
        assertTrue(info.library().matches("execnet \\d+\\.\\d+(\\.\\d+)?"), info.library());
        assertTrue(ProcessHandle.of(info.pid()).isPresent());
        RemoteException e = assertThrows(RemoteException.class, () -> py.remoteExec("channel.close()").waitClose(T));
        assertTrue(e.getMessage().contains("cannot explicitly close channel within remote_exec"), e.getMessage());
    }

    @Test
    void indentedSourceIsDedentedAsExecnetDedentsIt() {
        // String.stripIndent() left this indented (the blank last line counts), and Python raised IndentationError.
        assertEquals(1, (Integer) py.remoteExec("\n    channel.send(1)\n").receive(T));
        Channel block = py.remoteExec("""
                    import os
                    if os:
                        channel.send('indented text block')
                """);
        assertEquals("indented text block", block.receive(T));
        assertEquals(2, (Integer) group.remoteExec("\t\tchannel.send(2)").receiveEach(T).get(0));
    }

    @Test
    void pythonIsSplitAsAShellSplitsItAndTakesDontWriteBytecode(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path bin = java.nio.file.Files.createDirectories(dir.resolve("my env").resolve("bin"));
        java.nio.file.Path python = java.nio.file.Files.createSymbolicLink(bin.resolve("python3"),
                java.nio.file.Path.of(PythonExecnet.interpreter()));
        for (String value : List.of("\"" + python + "\"", python.toString().replace(" ", "\\ "), "'" + python + "' -X dev")) {
            Gateway gw = group.makeGateway("popen//python=" + value);
            Channel channel = gw.remoteExec("import sys\nchannel.send(['-B' in sys.orig_argv, sys.flags.dev_mode])");
            assertEquals(List.of(false, value.endsWith("-X dev")), channel.receive(T), value);
            gw.close();
        }
        Gateway quiet = group.makeGateway("popen//python=\"" + python + "\"//dont_write_bytecode");
        assertEquals(true, quiet.remoteExec("import sys\nchannel.send('-B' in sys.orig_argv and sys.dont_write_bytecode)").receive(T));
        quiet.close();
    }

    @Test
    void javaCodeIsRefusedForAPythonWorker() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> py.remoteExec(ch -> ch.send(1)));
        assertTrue(e.getMessage().contains("runs Python"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> py.remoteExec(PythonWorkerTest.class));
    }

    @Test
    void envChdirAndWhatThePythonPrintsStayOutOfTheProtocol(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (Group own = new Group(PYTHON + "//env:JEXECNET_TEST=from env//chdir=" + dir)) {
            Channel channel = own.get(0).remoteExec("""
                    import os
                    print('printed to stdout')
                    os.write(1, b'raw bytes on descriptor 1')
                    channel.send((os.environ['JEXECNET_TEST'], os.getcwd()))
                    """);
            assertEquals(Tuple.of("from env", dir.toString()), channel.receive(T));
        }
    }

    @Test
    void aMixedGroupRunsOneMultiChannelOverJvmAndPythonWorkers() throws Exception {
        try (Group mixed = new Group("popen//id=jvm", PYTHON + "//id=python")) {
            List<Channel> channels = List.of(
                    mixed.get("jvm").remoteExec("channel.send(\"jvm \" + Runtime.version().feature());"),
                    mixed.get("python").remoteExec("import sys\nchannel.send('python %d' % sys.version_info[0])"));
            BlockingQueue<Received> queue = new MultiChannel(channels).makeReceiveQueue("END");
            Set<Object> answers = new HashSet<>();
            for (int ended = 0; ended < 2; ) {
                Received received = queue.poll(T.toSeconds(), TimeUnit.SECONDS);
                if (received.item() == "END") {
                    ended++;
                } else {
                    answers.add(received.item());
                }
            }
            assertEquals(Set.of("jvm " + Runtime.version().feature(), "python 3"), answers);
        }
    }

    @Test
    void aKilledPythonWorkerFailsWaitsAtOnceAndTerminateEndsABusyOne() throws Exception {
        Group own = new Group(PYTHON, PYTHON);
        Channel waiting = own.get(0).remoteExec("channel.receive()");
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        waiting.setCallback(got::add, "END");
        ProcessHandle.of(own.get(0).remoteInfo(T).pid()).orElseThrow().destroyForcibly();
        assertEquals("END", got.poll(T.toSeconds(), TimeUnit.SECONDS));
        assertThrows(ConnectionLostException.class, () -> own.get(0).remoteExec("pass").receive(T));

        ProcessHandle busy = ProcessHandle.of(own.get(1).remoteInfo(T).pid()).orElseThrow();
        own.get(1).remoteExec("import time\nwhile True:\n    time.sleep(1)");
        own.terminate(Duration.ofSeconds(2));
        assertFalse(busy.isAlive());
    }

    @Test
    void aPythonWithoutExecnetIsReportedClearly() {
        ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway("popen//python=/usr/bin/python3 -S -I"));
        assertTrue(e.getMessage().contains("Python execnet is missing there"), e.getMessage());
        assertSame(py, group.get("py"));
    }
}
