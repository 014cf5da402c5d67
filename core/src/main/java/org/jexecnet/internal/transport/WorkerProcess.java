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
import java.util.Map;
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
public final class WorkerProcess implements WorkerLink {
    private final Process process;
    private final StderrTail stderr;
    private final String description;

    private final Path filesDir;
    /** Whether the worker leads a process group of its own, learnt once it is up: then the group is what is killed. */
    private volatile boolean leadsGroup;

    WorkerProcess(Process process, String name, String description, Path filesDir) {
        this.process = process;
        this.filesDir = filesDir;
        this.stderr = new StderrTail(process.getErrorStream(), System.err, name);
        this.description = description;
        process.onExit().thenRun(this::afterExit);
    }

    /**
     * The worker cleans up after itself when it exits; when it was killed (kill -9, the OOM killer), this
     * does: whatever is left of its process group goes, and its files directory.
     */
    private void afterExit() {
        if (leadsGroup) {
            ProcessGroup.kill(process.pid()); // the group outlives its leader while members remain: the id is not reused
        }
        if (filesDir != null) {
            deleteTree(filesDir);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // gone already, or never made
        }
    }

    @Override
    public InputStream in() {
        return process.getInputStream();
    }

    @Override
    public OutputStream out() {
        return process.getOutputStream();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * The conversation with a starting worker, up to the moment it says it is ready: for a popen worker
     * a single ready byte, for an ssh worker also the bootstrap that ships jexecnet's jar.
     */
    @FunctionalInterface
    interface Handshake {
        /**
         * @return true once the worker has said it is ready; false when its output ended before
         * @throws IOException when the worker says something other than the bootstrap expects: the
         *     message says what
         */
        boolean run(InputStream in, OutputStream out) throws IOException;

        static Handshake readyByte(int ready) {
            return (in, out) -> in.read() == ready;
        }
    }

    /**
     * Runs the handshake.
     *
     * @param knownStatuses exit statuses the bootstrap uses for a known cause, and the cause
     * @throws ExecnetException when the worker exits, or says nothing, before it is ready: the message
     *     carries its exit status, what it was telling, and the end of its stderr
     */
    void awaitReady(Handshake handshake, Duration timeout, Map<Integer, String> knownStatuses) {
        // A thread of its own, not the common pool, which the application may keep busy.
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                ready.complete(handshake.run(in(), out()));
            } catch (IOException | RuntimeException e) {
                ready.completeExceptionally(e);
            }
        }, "jexecnet-ready-" + description);
        reader.setDaemon(true);
        reader.start();
        String problem = "";
        try {
            if (ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stderr.release();
                leadsGroup = ProcessGroup.leads(process.pid());
                return;
            }
        } catch (TimeoutException e) {
            kill(); // streams close with the kill: the tail holds what was read until now
            throw new ExecnetException(description + " was not ready after " + timeout + ", so it was killed; its stderr: "
                    + orNothing(stderr.text()));
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new ExecnetException("interrupted while starting " + description, e);
        } catch (ExecutionException e) {
            problem = e.getCause() instanceof IOException io && io.getMessage() != null ? " (" + io.getMessage() + ")" : "";
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
        if (knownStatuses.containsKey(exitStatus)) {
            hint = " (" + knownStatuses.get(exitStatus) + ")";
        }
        throw new ExecnetException(description + " " + status + " before it was ready" + hint + problem + "; its stderr: "
                + orNothing(errors));
    }

    private static String orNothing(String text) {
        return text.isEmpty() ? "(nothing)" : text;
    }

    @Override
    public boolean awaitExit(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        boolean exited;
        try {
            exited = process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = !process.isAlive();
        }
        if (exited) {
            afterExit(); // here as well as on exit: a JVM that ends next would not run that callback
        }
        return exited;
    }

    @Override
    public String lastWords() {
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                return "";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
        List<String> lines = stderr.text().lines().filter(line -> !line.isBlank()).toList();
        String last = String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        return (last.isEmpty() ? "" : "its stderr ends: " + last + "; ") + description + " exited with status " + process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the process and every process it started: its process group, which holds double-forked
     * children too but not what left it on purpose ({@code setsid}); without a group of its own, its
     * descendants.
     */
    @Override
    public void kill() {
        if (leadsGroup || ProcessGroup.leads(process.pid())) {
            ProcessGroup.kill(process.pid());
        } else {
            process.descendants().toList().forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return description + ", pid " + process.pid();
    }
}
