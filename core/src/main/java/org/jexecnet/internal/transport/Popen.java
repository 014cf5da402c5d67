package org.jexecnet.internal.transport;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jexecnet.ExecnetException;
import org.jexecnet.XSpec;
import org.jexecnet.internal.archive.WorkerArchive;
import org.jexecnet.internal.worker.WorkerMain;
import org.jexecnet.internal.worker.WorkerSession;

/**
 * Starts a worker JVM as a child process ({@code popen}), running jexecnet from the master's own jar
 * or classes directory, so there is nothing to install.
 *
 * <p>The child is started through {@code setsid} (where there is one) and {@code sh}, which moves the
 * protocol pipes to descriptors 3 and 4 and points descriptor 1 at stderr (see {@link WorkerMain});
 * each {@code exec}s the next, so the JVM is the direct child, and leads a process group of its own
 * ({@link ProcessGroup}).
 *
 * <p>A worker starts from its configuration's class-data archive or AOT cache when the master has made
 * one ({@link WorkerArchive}); when there is none yet, the worker it starts says so
 * ({@link WorkerProcess#archiveToMake()}), and the gateway layer has one made in the background. A start
 * from an archive that fails is tried again without it, and the archive is discarded when that one works.
 */
public final class Popen {
    private Popen() {}

    /** Moves the protocol pipes to descriptors 3 and 4 and points 1 at stderr: the worker's redirections. */
    static final String MOVE_PIPES_REDIRECTIONS = "3<&0 4>&1 0</dev/null 1>&2";
    private static final String MOVE_PIPES = "exec \"$0\" \"$@\" " + MOVE_PIPES_REDIRECTIONS;
    /** How long a worker JVM may take to start on a loaded machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Flags for a quick start: no hsperfdata file to create. Class-data sharing is on by default; it is not
     * asked for ({@code -Xshare:auto}), since Java 25 refuses that beside the AOT cache options. The default
     * collector stays: on Java 17 only G1 maps the archived module graph, which saves about 10 ms of every
     * start. {@code jvmargs=} comes later on the command line and overrides them.
     */
    static final List<String> JVM_FLAGS = List.of("-XX:-UsePerfData");
    /** Environment variables through which the JVM takes options of its own: they shape an archive as options do. */
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /**
     * How a spec's worker JVM is started: its program, the options before the class path, the class path,
     * and the archive for that configuration (null when there is none to have).
     */
    private record Launch(List<String> java, List<String> flags, String classPath, WorkerArchive archive, Path packInto) {
        static Launch of(XSpec spec) {
            List<String> java = spec.java() == null
                    ? List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                    : program(spec, "java");
            List<String> flags = new ArrayList<>(JVM_FLAGS);
            flags.addAll(spec.jvmArgs());
            String own = workerJar(spec);
            Path archives = WorkerArchive.directory(spec);
            // Classes in a directory are packed into a jar for archives, once a worker is up: not beside its start.
            Path packInto = archives != null && Files.isDirectory(Path.of(own)) && WorkerArchive.isPrivate(archives) ? archives : null;
            String classPath = spec.get("classpath") == null ? own : own + File.pathSeparator + spec.get("classpath");
            // What the archive depends on: the program's own words, jexecnet's flags and the user's, and the options
            // the environment adds.
            List<String> shaping = new ArrayList<>(java.subList(1, java.size()));
            shaping.addAll(flags);
            for (String variable : OPTION_VARIABLES) {
                String value = spec.env().containsKey(variable) ? spec.env().get(variable) : System.getenv(variable);
                if (value != null) {
                    shaping.add(variable + "=" + value);
                }
            }
            return new Launch(java, flags, classPath, WorkerArchive.find(spec, java.get(0), shaping, own), packInto);
        }

        /** The worker's command: the program, the flags and {@code extra} (an archive's), the class path, the main class. */
        List<String> command(List<String> extra, Path files, boolean spare) {
            List<String> command = new ArrayList<>(List.of("sh", "-c", MOVE_PIPES));
            command.addAll(java);
            command.addAll(JVM_FLAGS);
            command.addAll(extra);
            command.addAll(flags.subList(JVM_FLAGS.size(), flags.size()));
            command.addAll(List.of("-cp", classPath, WorkerMain.class.getName(), files.toString()));
            if (spare) {
                command.add(WorkerMain.SPARE);
            }
            return command;
        }

        String description(String id) {
            return "worker JVM " + id + " (" + String.join(" ", java) + ")";
        }
    }

    /**
     * Starts a worker for a session and waits until it is ready: from the configuration's archive when
     * there is one, else without, marking the archive as one to make.
     *
     * @throws ExecnetException when it cannot start; the message says why and shows its stderr
     */
    public static WorkerProcess start(XSpec spec, WorkerSession session) {
        Launch launch = Launch.of(spec);
        WorkerArchive archive = launch.archive();
        if (archive != null && archive.present()) {
            try {
                WorkerProcess worker = startFrom(spec, launch, session, archive);
                if (worker != null) {
                    return worker;
                }
            } catch (ExecnetException failed) {
                WorkerProcess worker = startWithout(spec, launch, session, archive); // its failure, if any, is the one to report
                archive.discard("a worker started from it failed, and one without it did not: " + failed.getMessage());
                return worker;
            }
        }
        return startWithout(spec, launch, session, archive);
    }

    /**
     * Starts a worker from the archive, checking the archive's contents while the JVM boots.
     *
     * @return the worker, or null when the archive turned out not to be whole (it is discarded)
     */
    private static WorkerProcess startFrom(XSpec spec, Launch launch, WorkerSession session, WorkerArchive archive) {
        WorkerProcess worker = spawn(spec, launch, archive.useFlags(), session);
        worker.startedFromArchive();
        if (!archive.checkContents()) {
            worker.kill();
            worker.awaitExit(System.nanoTime() + START_TIMEOUT.toNanos());
            return null;
        }
        worker.awaitReady(WorkerProcess.Handshake.readyByte(WorkerMain.READY), START_TIMEOUT, Map.of());
        if (worker.archiveRefusal() != null) {
            archive.discard("the JVM did not use it: " + worker.archiveRefusal());
            worker.needsArchive(archive);
        }
        return worker;
    }

    private static WorkerProcess startWithout(XSpec spec, Launch launch, WorkerSession session, WorkerArchive archive) {
        WorkerProcess worker = spawn(spec, launch, List.of(), session);
        try {
            worker.awaitReady(WorkerProcess.Handshake.readyByte(WorkerMain.READY), START_TIMEOUT, Map.of());
        } catch (ExecnetException e) {
            throw whyNoJvm(spec, launch, e);
        }
        worker.needsArchive(archive);
        if (launch.packInto() != null) {
            OwnJar.makeLocalCopy(launch.packInto());
        }
        return worker;
    }

    /** Starts the worker's process with the archive's options {@code extra}, and tells it the session. */
    private static WorkerProcess spawn(XSpec spec, Launch launch, List<String> extra, WorkerSession session) {
        Path files = filesDirectory(session.id());
        String description = launch.description(session.id());
        WorkerProcess worker = new WorkerProcess(launch(spec, launch.command(extra, files, false), description), session.id(),
                description, files);
        worker.tell(session);
        return worker;
    }

    /** The failure to report: that {@code java=} names no JVM at all, when that is why. */
    private static ExecnetException whyNoJvm(XSpec spec, Launch launch, ExecnetException e) {
        String notAJvm = spec.java() == null ? null : JvmCheck.notAJvm(launch.java(), true);
        if (notAJvm != null) {
            return new ExecnetException("java=" + spec.java() + ": " + notAJvm + "; name the java program of a JDK or JRE 17"
                    + " or newer", e);
        }
        return e;
    }

    /**
     * Starts a spare: a worker JVM that warms up and then waits, until {@link WorkerProcess#adopt} tells
     * it the session it serves. From the configuration's archive when there is one (its contents checked
     * here, which a spare has time for).
     *
     * @throws ExecnetException when it cannot be started at all
     */
    public static WorkerProcess startSpare(XSpec spec, String name) {
        Launch launch = Launch.of(spec);
        WorkerArchive archive = launch.archive();
        return startSpare(spec, name, launch, archive != null && archive.present() && archive.checkContents() ? archive : null);
    }

    /**
     * Starts a spare as {@link #startSpare(XSpec, String)} does, but without the configuration's archive: the
     * second try after one from the archive did not warm up.
     */
    public static WorkerProcess startSpareWithoutArchive(XSpec spec, String name) {
        return startSpare(spec, name, Launch.of(spec), null);
    }

    private static WorkerProcess startSpare(XSpec spec, String name, Launch launch, WorkerArchive from) {
        Path files = filesDirectory(name);
        String description = launch.description(name);
        WorkerProcess worker = new WorkerProcess(launch(spec, launch.command(from != null ? from.useFlags() : List.of(), files,
                true), description), name, description, files);
        if (from != null) {
            worker.startedFromArchive();
        } else {
            worker.needsArchive(launch.archive());
        }
        return worker;
    }

    /**
     * Discards the archive of the spec's configuration, when it has one: a spare started from it failed where
     * one without it warmed up. The gateway that takes that spare has a new one made.
     */
    public static void discardArchive(XSpec spec, String why) {
        WorkerArchive archive = Launch.of(spec).archive();
        if (archive != null) {
            archive.discard(why);
        }
    }

    /**
     * Starts a worker that records what it loads for the archive, as the training run of
     * {@code ArchiveTrainer}: at the lowest priority, its stderr kept but not shown.
     *
     * @param output where the JVM writes the archive or the AOT configuration as it exits
     */
    public static WorkerProcess startRecording(XSpec spec, WorkerSession session, WorkerArchive archive, Path output) {
        return startQuietly(spec, session, archive.kind().recordFlags(output));
    }

    /** Starts a worker that uses the archive {@code candidate} or fails to start: the check of a newly made one. */
    public static WorkerProcess startStrictly(XSpec spec, WorkerSession session, WorkerArchive archive, Path candidate) {
        return startQuietly(spec, session, archive.kind().useFlags(candidate));
    }

    private static WorkerProcess startQuietly(XSpec spec, WorkerSession session, List<String> extra) {
        Launch launch = Launch.of(spec);
        Path files = filesDirectory(session.id());
        String description = launch.description(session.id());
        List<String> command = new ArrayList<>(List.of("nice", "-n", "19"));
        command.addAll(launch.command(extra, files, false));
        WorkerProcess worker = new WorkerProcess(launch(spec, command, description), session.id(), description, files,
                new PrintStream(OutputStream.nullOutputStream()));
        worker.tell(session);
        worker.awaitReady(WorkerProcess.Handshake.readyByte(WorkerMain.READY), START_TIMEOUT, Map.of());
        return worker;
    }

    /**
     * Starts the second step that makes an AOT cache from a training run's configuration: the same
     * program, options, class path and environment, at the lowest priority, its output to {@code log}.
     */
    public static Process createStep(XSpec spec, WorkerArchive archive, Path configuration, Path output, Path log) throws IOException {
        Launch launch = Launch.of(spec);
        List<String> command = new ArrayList<>(List.of("nice", "-n", "19"));
        command.addAll(launch.java());
        command.addAll(launch.flags());
        command.addAll(archive.kind().createFlags(configuration, output));
        command.addAll(List.of("-cp", archive.classPath()));
        return builder(spec, command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Starts a worker's command as the spec asks, for JVM and Python workers alike: in a process group of
     * its own, under {@code nice},
     * with the {@code env:} variables, in the {@code chdir=} directory (created when missing).
     */
    static Process launch(XSpec spec, List<String> command, String description) {
        try {
            return builder(spec, command).start();
        } catch (IOException e) {
            throw new ExecnetException("cannot start " + description + ": " + e.getMessage(), e);
        }
    }

    /** The process a spec's command runs as: through {@code setsid} and {@code nice}, with the spec's environment and directory. */
    private static ProcessBuilder builder(XSpec spec, List<String> command) {
        List<String> full = new ArrayList<>();
        if (ProcessGroup.SETSID != null) {
            // A session and process group of the worker's own, for what its code starts (ProcessGroup). The
            // child is no group leader, so setsid execs without forking: the pid stays the worker's.
            full.add(ProcessGroup.SETSID);
        }
        if (spec.nice() != null) {
            full.addAll(List.of("nice", "-n", String.valueOf(spec.nice())));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full);
        builder.environment().putAll(spec.env());
        if (spec.chdir() != null) {
            Path dir = Path.of(spec.chdir()).toAbsolutePath();
            // The nearest part of the path that exists must be a directory: else a file is in the way.
            for (Path existing = dir; existing != null; existing = existing.getParent()) {
                if (Files.exists(existing)) {
                    if (!Files.isDirectory(existing)) {
                        throw new ExecnetException("chdir=" + spec.chdir() + ": " + existing + " is a file, not a directory;"
                                + " name a directory (it is created when missing)");
                    }
                    break;
                }
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                String why = e instanceof AccessDeniedException denied ? "permission denied on " + denied.getFile() : e.toString();
                throw new ExecnetException("chdir=" + spec.chdir() + ": cannot create " + dir + ": " + why, e);
            }
            builder.directory(dir.toFile());
        }
        return builder;
    }

    /**
     * The program a spec key names ({@code java=}, {@code python=}): a path or a command, with
     * arguments, split by POSIX shell rules as execnet splits {@code python=} (so a path with a space
     * is quoted or escaped); a path that cannot run is refused here, with the reason.
     */
    static List<String> program(XSpec spec, String key) {
        List<String> words = words(spec, key);
        String program = words.get(0);
        if (program.contains("/") && !Files.isExecutable(Path.of(program))) {
            throw new ExecnetException(key + "=" + spec.get(key) + ": " + program
                    + (Files.exists(Path.of(program)) ? " is not executable" : " does not exist"));
        }
        return words;
    }

    /** A spec key's command split into words, not checked for existence: {@link XSpec} has checked the quoting. */
    static List<String> words(XSpec spec, String key) {
        List<String> words = ShellWords.split(spec.get(key));
        if (words.isEmpty()) {
            throw new IllegalArgumentException(key + "= names no program in gateway spec '" + spec + "'");
        }
        return words;
    }

    /**
     * A name for the directory the worker keeps shipped classes in, unique to this start: the master's
     * pid and the clock (not {@code Files.createTempDirectory}, whose SecureRandom costs a JVM tens of
     * milliseconds the first time).
     */
    private static Path filesDirectory(String id) {
        String safeId = id.replaceAll("[^A-Za-z0-9_.-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"),
                "jexecnet-" + safeId + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
    }

    /**
     * The jar (or directory) popen workers run jexecnet from: the master's own; for a master that runs
     * from a classes directory, a jar made from it once it is made ({@link OwnJar#makeLocalCopy}), when
     * archives are on.
     */
    private static String workerJar(XSpec spec) {
        String own = ownClassPath();
        Path archives = WorkerArchive.directory(spec);
        if (archives != null && Files.isDirectory(Path.of(own)) && WorkerArchive.isPrivate(archives)) {
            Path jar = OwnJar.localCopy(archives);
            return jar != null ? jar.toString() : own;
        }
        return own;
    }

    /** Where jexecnet's classes are: the jar or directory this class was loaded from. */
    static String ownClassPath() {
        try {
            return Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new ExecnetException("cannot locate jexecnet's own jar to start a worker: " + e, e);
        }
    }
}
