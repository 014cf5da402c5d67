package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Gateway;

/** Waiting for processes and gateways in tests: bounded, polling the state, never sleeping blind. */
public final class Processes {
    private Processes() {}

    /** Gone, or a zombie its parent has not reaped yet (a stopped parent cannot): /proc/PID/stat says Z. */
    public static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return true;
        }
    }

    /** Fails unless the process has exited (or is a zombie) within the time given. */
    public static void awaitExited(long pid, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!exited(pid)) {
            assertTrue(System.nanoTime() < deadline, what + " (pid " + pid + ") still runs after " + within);
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join());
        }
    }

    /** Fails unless the file is gone within the time given, looking every 10 ms: what removes it is another process. */
    public static void awaitDeleted(Path file, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, what + " (" + file + ") is still there after " + within);
            Thread.sleep(10);
        }
    }

    /** Sends a signal with kill(1): STOP, CONT, KILL. */
    public static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
    }

    /** Fails unless the gateway runs no execution within the time given (asking its status until it does). */
    public static void awaitIdle(Gateway gateway, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (gateway.remoteStatus(within).numExecuting() != 0) {
            assertTrue(System.nanoTime() < deadline, what);
        }
    }
}
