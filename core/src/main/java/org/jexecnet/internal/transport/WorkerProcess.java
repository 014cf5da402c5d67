package org.jexecnet.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
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
import org.jexecnet.internal.archive.ArchiveKind;
import org.jexecnet.internal.archive.WorkerArchive;
import org.jexecnet.internal.worker.WorkerMain;
import org.jexecnet.internal.worker.WorkerSession;

/**
 * A started worker process: the two protocol streams, and the means to wait for it and to kill it
 * with everything it started.
 */
public final class WorkerProcess implements WorkerLink {
    private final Process process;
    private final StderrTail stderr;
    private volatile String description;
    /** The name the worker was started under: a spare's, until it is given a gateway. */
    private volatile String name;

    private final Path filesDir;
    /** Whether the worker leads a process group of its own, learnt once it is up: then the group is what is killed. */
    private volatile boolean leadsGroup;
    /** Whether the worker was started from a class-data archive or AOT cache. */
    private volatile boolean fromArchive;
    /** What the JVM said, as it started, about the archive it could not use; null when it said nothing. */
    private volatile String archiveRefusal;
    /** The archive this worker's configuration lacks, for the master to make in the background; or null. */
    private volatile WorkerArchive archiveToMake;
    /** The kind of archive an ssh worker's host lacks for its configuration, for the master to have made there; or null. */
    private volatile ArchiveKind remoteArchiveToMake;

    WorkerProcess(Process process, String name, String description, Path filesDir) {
        this(process, name, description, filesDir, System.err);
    }

    /** @param stderrTo where the worker's stderr goes once it is ready (a training run's goes nowhere) */
    WorkerProcess(Process process, String name, String description, Path filesDir, PrintStream stderrTo) {
        this.process = process;
        this.filesDir = filesDir;
        this.stderr = new StderrTail(process.getErrorStream(), stderrTo, name);
        this.description = description;
        this.name = name;
        process.onExit().thenRun(this::afterExit);
    }

    /** Marks the worker as started from an archive: its JVM's start-up complaints about it are looked for. */
    void startedFromArchive() {
        fromArchive = true;
    }

    /** Whether the worker was started from a class-data archive or AOT cache. */
    public boolean isFromArchive() {
        return fromArchive;
    }

    /** What the JVM said about the archive it was given and did not use, or null when it used it (or had none). */
    String archiveRefusal() {
        return archiveRefusal;
    }

    void needsArchive(WorkerArchive missing) {
        archiveToMake = missing;
    }

    /**
     * The class-data archive or AOT cache this worker's configuration lacks, which the master should
     * make in the background for the next start; null when there is one, or archives are off.
     */
    public WorkerArchive archiveToMake() {
        return archiveToMake;
    }

    void needsRemoteArchive(ArchiveKind kind) {
        remoteArchiveToMake = kind;
    }

    /**
     * The kind of archive the ssh host lacks for this worker's configuration, which the master should
     * have made there in the background; null when it has one, or archives are off.
     */
    public ArchiveKind remoteArchiveToMake() {
        return remoteArchiveToMake;
    }

    /**
     * Waits until a spare ({@link Popen#startSpare}) has warmed up and waits for its session.
     *
     * @throws ExecnetException when it exits, or says nothing, before that
     */
    public void awaitWarm() {
        awaitReady(Handshake.readyByte(WorkerMain.READY), Popen.START_TIMEOUT, Map.of());
    }

    /**
     * Gives a warm spare the session it serves, without waiting: a warm spare takes it within a
     * millisecond or two, and what the master sends next waits in the pipe meanwhile. Its stderr and
     * messages are named for the gateway from now on.
     */
    public void adopt(WorkerSession session) {
        description = description.replace(name, session.id());
        name = session.id();
        stderr.rename(name);
        tell(session);
    }

    /** Writes the session; a worker that is gone already shows it in the wait for its ready byte. */
    void tell(WorkerSession session) {
        try {
            out().write(session.encode());
            out().flush();
        } catch (IOException gone) {
            // awaitReady finds it exited and says why
        }
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

    /**
     * {@link #afterExit} for a caller that waited for the exit, before it goes on: a JVM that ends next would
     * not run the callback. A worker that exited by itself (a status below 128: its input ended, it was told
     * to, System.exit) ran its shutdown hook, which killed the rest of its group, so the search of /proc,
     * which costs milliseconds, is left to the callback then: for a worker that halted without its hooks.
     */
    private void afterAwaitedExit() {
        if (leadsGroup && process.exitValue() >= 128) {
            ProcessGroup.kill(process.pid());
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
                String held = stderr.held();
                if (fromArchive && WorkerArchive.refusedIn(held)) {
                    archiveRefusal = held.strip();
                    stderr.release(WorkerArchive::withoutComplaints);
                } else {
                    stderr.release();
                }
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
            afterAwaitedExit();
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
