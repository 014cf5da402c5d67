package org.jexecnet.internal.gateway;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.ExecModel;
import org.jexecnet.XSpec;
import org.jexecnet.internal.archive.ArchiveKind;
import org.jexecnet.internal.archive.WorkerArchive;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.transport.Popen;
import org.jexecnet.internal.transport.Ssh;
import org.jexecnet.internal.transport.Transports;
import org.jexecnet.internal.transport.WorkerProcess;
import org.jexecnet.internal.worker.WarmUp;
import org.jexecnet.internal.worker.WorkerSession;

/**
 * Makes the class-data archives and AOT caches of popen workers ({@link WorkerArchive}) in the
 * background, when a start finds its configuration without one; the starts after it use it.
 *
 * <p>A training run is a real gateway session: a worker of the configuration, started with the JVM's
 * recording options, takes a first execution (an item there and back) and exits, and the JVM writes
 * what it loaded; a second JVM makes the archive from that. A third start, which
 * must use the new archive or fail, checks it before it is put in place. Everything runs at the lowest
 * priority ({@code nice -n 19}), one archive at a time per master, on a thread of this class's own, so
 * the gateway that asked for it starts as fast as it would have anyway. A file lock beside the archive
 * keeps two masters from making the same one; a failed attempt leaves a note, and is not tried again for
 * a day.
 *
 * <p>For an ssh worker the host keeps the archive, in its cache beside jexecnet's jar: the training
 * session's bootstrap records it and puts it in place (see {@code Ssh}); a host is asked once per master.
 *
 * <p>A master that exits while an archive is being made takes its training processes along.
 */
public final class ArchiveTrainer {
    private ArchiveTrainer() {}

    /** A training run on a loaded machine: its start, its item, and the JVM writing the archive as it exits. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);
    /** How long after a failure a configuration is not tried again. */
    private static final Duration RETRY_AFTER = Duration.ofHours(24);
    /** Temporary files older than this belong to a master that died while it made an archive. */
    private static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    /** An archive to make: a popen configuration's here ({@code archive}), or an ssh host's there ({@code remote}). */
    /** A resource the training's execution ships, so that the worker writes a shipped file as it does a user's classes. */
    private static final String TRAINING_FILE = "org/jexecnet/archive-training";

    private record Job(Object key, XSpec spec, WorkerArchive archive, ArchiveKind remote) {}

    private static final Object LOCK = new Object();
    // guarded by LOCK
    private static final Deque<Job> QUEUE = new ArrayDeque<>();
    private static final Set<Object> PENDING = new HashSet<>();
    /** ssh configurations tried in this master: a host is asked once, whatever comes of it. */
    private static final Set<Object> REMOTE_TRIED = new HashSet<>();
    private static Thread runner;
    private static boolean hooked;
    // the processes of the run under way, which the master's exit ends
    private static volatile WorkerProcess training;
    private static volatile Process creating;
    private static volatile WorkerArchive making;
    /** Set as the master exits: what fails from then on was cut short by that, and is no failure to note. */
    private static volatile boolean stopping;

    /** Has the archive a worker's configuration lacks made, here or on its ssh host, unless that is under way. Returns at once. */
    public static void request(XSpec spec, WorkerProcess worker) {
        if (worker.archiveToMake() != null) {
            enqueue(new Job(worker.archiveToMake().file(), spec, worker.archiveToMake(), null));
        } else if (worker.remoteArchiveToMake() != null) {
            Object key = "ssh " + Spares.launchKey(spec);
            synchronized (LOCK) {
                if (!REMOTE_TRIED.add(key)) {
                    return;
                }
            }
            enqueue(new Job(key, spec, null, worker.remoteArchiveToMake()));
        }
    }

    private static void enqueue(Job job) {
        synchronized (LOCK) {
            if (!PENDING.add(job.key())) {
                return;
            }
            QUEUE.add(job);
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(ArchiveTrainer::stop, "jexecnet-archive-trainer-stop"));
                hooked = true;
            }
            if (runner == null) {
                runner = new Thread(ArchiveTrainer::runQueue, "jexecnet-archive-trainer");
                runner.setDaemon(true);
                runner.start();
            }
        }
    }

    /**
     * Waits until no archive is being made or waiting to be: for benchmarks, which must not measure
     * beside a training run, and tests, after which no worker may be left.
     *
     * @return whether that happened within the timeout
     */
    public static boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (LOCK) {
            while (runner != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(LOCK, left);
            }
        }
        return true;
    }

    private static void runQueue() {
        while (true) {
            Job job;
            synchronized (LOCK) {
                job = QUEUE.poll();
                if (job == null) {
                    runner = null;
                    LOCK.notifyAll();
                    return;
                }
            }
            try {
                making = job.archive();
                if (job.archive() != null) {
                    make(job.spec(), job.archive());
                } else {
                    makeRemote(job.spec(), job.remote());
                }
            } finally {
                making = null;
                synchronized (LOCK) {
                    PENDING.remove(job.key());
                }
            }
        }
    }

    /** The master exits: the run under way ends, and its temporary files go. */
    private static void stop() {
        stopping = true;
        WorkerProcess worker = training;
        if (worker != null) {
            worker.kill();
            worker.awaitExit(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        }
        Process create = creating;
        if (create != null) {
            create.destroyForcibly();
        }
        WorkerArchive archive = making;
        if (archive != null) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(archive.file().getParent(),
                    archive.file().getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-*")) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                // left for a later master to remove
            }
        }
    }

    private static void make(XSpec spec, WorkerArchive archive) {
        Path lockFile = archive.file().resolveSibling(archive.file().getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.tryLock()) {
            if (held == null || archive.present() || recentlyFailed(archive)) {
                return; // another master makes it, or has; or it failed lately
            }
            removeAbandoned(archive.file().getParent());
            if (Trace.ON) {
                Trace.log("making worker archive " + archive + " in the background");
            }
            long start = System.nanoTime();
            Path made = record(spec, archive);
            try {
                check(spec, archive, made);
                archive.install(made);
            } finally {
                Files.deleteIfExists(made);
            }
            if (Trace.ON) {
                Trace.log("made worker archive " + archive + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
        } catch (IOException | RuntimeException e) {
            noteFailure(archive, e);
        } finally {
            training = null;
            creating = null;
        }
    }

    /**
     * An ssh host's archive: a training session whose bootstrap records it and, once the worker has
     * exited, puts it in place there. What comes of it shows in the next start's word on its archive.
     */
    private static void makeRemote(XSpec spec, ArchiveKind kind) {
        try {
            WorkerSession session = Transports.session(spec, "archive-training", ExecModel.THREAD);
            session(spec, Ssh.startRecording(spec, session, kind), "the training run on " + spec.get(spec.type()));
        } catch (IOException | RuntimeException e) {
            if (Trace.ON) {
                Trace.log("could not make the worker archive for '" + spec + "' on its host: " + e);
            }
        } finally {
            training = null;
        }
    }

    /** The training run, and for an AOT cache the step that makes it. Returns the new archive, in a temporary file. */
    private static Path record(XSpec spec, WorkerArchive archive) throws IOException {
        Path recorded = archive.temporary(archive.kind() == ArchiveKind.AOT_CACHE ? ".aotconf" : ".classlist");
        try {
            WorkerSession session = Transports.session(spec, "archive-training", ExecModel.THREAD);
            session(spec, Popen.startRecording(spec, session, archive, recorded), "the training run");
            if (!Files.isRegularFile(recorded) || Files.size(recorded) == 0) {
                throw new IOException("the training run's JVM wrote nothing to " + recorded);
            }
            return create(spec, archive, recorded);
        } finally {
            Files.deleteIfExists(recorded);
        }
    }

    /** The second step: a JVM that makes the archive from what the training run recorded. */
    private static Path create(XSpec spec, WorkerArchive archive, Path recorded) throws IOException {
        Path made = archive.temporary("." + archive.kind().extension());
        Path log = archive.temporary(".log");
        boolean done = false;
        try {
            Process create = Popen.createStep(spec, archive, recorded, made, log);
            creating = create;
            if (!create.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                create.destroyForcibly();
                throw new IOException("making the archive took more than " + STEP_TIMEOUT);
            }
            if (create.exitValue() != 0 || !Files.isRegularFile(made)) {
                throw new IOException("making the archive failed with status " + create.exitValue() + ": " + tail(log));
            }
            done = true;
            return made;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the archive", e);
        } finally {
            Files.deleteIfExists(log);
            if (!done) {
                Files.deleteIfExists(made);
            }
        }
    }

    /** A start that must use the new archive or fail, and its first item: an archive the JVM takes. */
    private static void check(XSpec spec, WorkerArchive archive, Path made) throws IOException {
        WorkerSession session = Transports.session(spec, "archive-check", ExecModel.THREAD);
        session(spec, Popen.startStrictly(spec, session, archive, made), "the check of the new archive");
    }

    /** A gateway session on the worker: one execution, an item there and back, then its exit, waited for. */
    private static void session(XSpec spec, WorkerProcess worker, String what) throws IOException {
        training = worker;
        MasterGateway gateway = MasterGateway.over(worker, spec, "archive-training", ExecModel.THREAD, () -> { });
        try {
            Channel channel = gateway.execBuiltinShipping(WarmUp.class, Map.of(TRAINING_FILE, new byte[] {1}));
            channel.send(1);
            Object echo = channel.receive(STEP_TIMEOUT);
            channel.waitClose(STEP_TIMEOUT);
            if (!Integer.valueOf(1).equals(echo)) {
                throw new IOException(what + " answered " + echo + " instead of 1");
            }
        } finally {
            gateway.exit();
            if (!gateway.awaitExit(System.nanoTime() + STEP_TIMEOUT.toNanos())) {
                gateway.kill();
                throw new IOException(what + "'s worker did not exit within " + STEP_TIMEOUT);
            }
        }
    }

    private static boolean recentlyFailed(WorkerArchive archive) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(archive.failureNote()).toMillis() < RETRY_AFTER.toMillis();
        } catch (IOException none) {
            return false;
        }
    }

    private static void noteFailure(WorkerArchive archive, Exception e) {
        if (Trace.ON) {
            Trace.log("could not make worker archive " + archive + ": " + e);
        }
        if (stopping) {
            return; // a master that exits while it makes one (a short command line run) leaves it to the next master
        }
        try {
            Files.write(archive.failureNote(), ("jexecnet could not make " + archive.file().getFileName() + " and tries again a day"
                    + " after this file's time: " + e + "\nJVM " + archive.jvm().home() + ", options " + archive.flags() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException cannotNote) {
            // then it is tried again by the next master
        }
    }

    /** Removes temporary files that masters which died while making an archive left. */
    private static void removeAbandoned(Path directory) {
        long before = System.currentTimeMillis() - ABANDONED_AFTER.toMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.tmp-*")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toMillis() < before) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // tidying up only
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
