package org.jexecnet.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jexecnet.ExecnetException;

/**
 * A started worker process: the two protocol streams, and the means to wait for it and to kill it
 * with everything it started.
 */
public final class WorkerProcess {
    private final Process process;
    private final StderrTail stderr;
    private final String description;

    WorkerProcess(Process process, String name, String description, Path filesDir) {
        this.process = process;
        this.stderr = new StderrTail(process.getErrorStream(), System.err, name);
        this.description = description;
        if (filesDir != null) {
            // The worker removes its files directory when it exits; when it was killed, this does.
            process.onExit().thenRun(() -> deleteTree(filesDir));
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // gone already, or never made
        }
    }

    public InputStream in() {
        return process.getInputStream();
    }

    public OutputStream out() {
        return process.getOutputStream();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits for the worker's ready byte.
     *
     * @throws ExecnetException when the worker exits, or says nothing, before it is ready: the message
     *     carries its exit status and the end of its stderr
     */
    void awaitReady(int readyByte, Duration timeout) {
        awaitReady(readyByte, timeout, -1, "");
    }

    /**
     * As {@link #awaitReady(int, Duration)}, naming the cause when the process exits with a status its
     * bootstrap uses for one.
     */
    void awaitReady(int readyByte, Duration timeout, int knownStatus, String knownCause) {
        // A thread of its own, not the common pool, which the application may keep busy.
        CompletableFuture<Integer> first = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                first.complete(in().read());
            } catch (IOException e) {
                first.complete(-1);
            }
        }, "jexecnet-ready-" + description);
        reader.setDaemon(true);
        reader.start();
        int got;
        try {
            got = first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            kill(); // streams close with the kill: the tail holds what was read until now
            throw new ExecnetException(description + " was not ready after " + timeout + ", so it was killed; its stderr: "
                    + orNothing(stderr.text()));
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new ExecnetException("interrupted while starting " + description, e);
        } catch (ExecutionException e) {
            got = -1;
        }
        if (got == readyByte) {
            return;
        }
        String status;
        int exitStatus = -1;
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                exitStatus = process.exitValue();
                status = "exited with status " + exitStatus;
            } else {
                status = "is still running";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "did not say it was ready";
        }
        // The tail first: Process.destroy closes the process's streams, and with them what the pump has
        // not read yet. A process still running gives no end to wait for, so it is killed first.
        if (process.isAlive()) {
            kill();
        }
        String errors = stderr.text();
        kill();
        String hint = errors.contains("UnsupportedClassVersionError")
                ? " (that JVM is older than Java 17, which jexecnet needs)" : "";
        if (exitStatus >= 0 && exitStatus == knownStatus) {
            hint = " (" + knownCause + ")";
        }
        throw new ExecnetException(description + " " + status + " before it was ready" + hint + "; its stderr: " + orNothing(errors));
    }

    private static String orNothing(String text) {
        return text.isEmpty() ? "(nothing)" : text;
    }

    /** Waits for the process to exit, at most until the deadline ({@link System#nanoTime()}). */
    public boolean awaitExit(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        try {
            return process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process and every process it started, children before their parent. */
    public void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return description;
    }
}
