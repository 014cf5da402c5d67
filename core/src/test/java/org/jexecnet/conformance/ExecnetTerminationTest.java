package org.jexecnet.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.testing.Processes;

/**
 * execnet's testing/test_termination.py, translated. execnet's {@code anypython} (the interpreter of
 * the master or worker) is here the worker's language: a JVM or Python execnet. Its master scripts are
 * {@link TerminatingMaster}, run as a JVM of their own.
 */
@org.junit.jupiter.api.extension.ExtendWith(Gateways.class)
class ExecnetTerminationTest {
    static final Duration T = ExecnetChannelTest.T;

    /** execnet sleeps 10 s remotely and allows exit() 5 s; the remote sleep here outlasts the bound, so a waiting exit shows. */
    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_exit_blocked_worker_execution_gateway(Kind kind, Group makegateway) {
        Gw gateway = new Gw(kind, makegateway.makeGateway(kind.popenSpec()), makegateway);
        gateway.exec("""
                    Thread.sleep(100_000);
                """, """
                    import time
                    time.sleep(100.0)
                """);
        assertTimeoutPreemptively(T, () -> gateway.gateway().exit());
    }

    /** execnet reads the stored error with the private _getremoteerror(): an EOFError; here waitClose raises it. */
    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_endmarker_delivery_on_remote_killterm(Kind kind, Group makegateway) throws InterruptedException {
        Gw gw = new Gw(kind, makegateway.makeGateway(kind.popenSpec()), makegateway);
        BlockingQueue<Object> q = new LinkedBlockingQueue<>();
        Channel channel = gw.exec("""
                channel.send(ProcessHandle.current().pid());
                Thread.sleep(100_000);
                """, """
                import os, time
                channel.send(os.getpid())
                time.sleep(100)
                """);
        Number pid = channel.receive(Number.class, T);
        assertTrue(ProcessHandle.of(pid.longValue()).orElseThrow().destroy(), "SIGTERM sent");
        channel.setCallback(q::add, 999);
        assertEquals(999, q.poll(T.toSeconds(), TimeUnit.SECONDS));
        assertThrows(ConnectionLostException.class, () -> channel.waitClose(T));
    }

    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_termination_on_remote_channel_receive(Kind kind, Group makegateway) {
        Gw gw = new Gw(kind, makegateway.makeGateway(kind.popenSpec()), makegateway);
        Number pid = gw.exec("channel.send(ProcessHandle.current().pid());", "import os ; channel.send(os.getpid())").receive(Number.class, T);
        gw.exec("channel.receive();", "channel.receive()");
        makegateway.terminate(T);
        assertTrue(Processes.exited(pid.longValue()), "worker " + pid + " is gone when terminate returns");
    }

    private static Process master(String mode, String spec) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), TerminatingMaster.class.getName(), mode, spec).start();
    }

    /** stderr of the master, which carries its workers' stderr too, stays empty. */
    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_close_initiating_remote_no_error(Kind kind) throws Exception {
        Process popen = master("close-initiating", kind.popenSpec());
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(popen, false));
        byte[] err = readAll(popen, true);
        assertTrue(popen.waitFor(T.toSeconds(), TimeUnit.SECONDS), "the master ends");
        assertEquals(List.of("remote_exec1", "remote_exec2", "termination"),
                new String(out.join(), StandardCharsets.UTF_8).lines().toList());
        assertEquals("", new String(err, StandardCharsets.UTF_8));
        assertEquals(0, popen.exitValue());
    }

    /**
     * execnet's master leaves the worker to its atexit terminate, which kills it; the script must end
     * within 50 s with nothing on stderr but "Killed" (xfail on Python 3.12+, execnet issue 271).
     * jexecnet's counterpart of atexit is a shutdown hook.
     */
    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_terminate_implicit_does_trykill(Kind kind) throws Exception {
        Process popen = master("implicit", kind.popenSpec());
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(popen, true));
        // sync with start-up
        String pid = new BufferedReader(new InputStreamReader(popen.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertNotNull(pid, "the master started its worker");
        assertTrue(popen.waitFor(50, TimeUnit.SECONDS), "the master ends within 50 s");
        Processes.awaitExited(Long.parseLong(pid.strip()), T, "the worker the shutdown hook ended");
        String text = new String(err.join(), StandardCharsets.UTF_8);
        assertTrue(text.isEmpty() || text.contains("Killed"), text);
    }

    private static byte[] readAll(Process process, boolean stderr) {
        try {
            return (stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
