package org.jexecnet.internal.transport;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jexecnet.ExecModel;
import org.jexecnet.ExecnetException;
import org.jexecnet.XSpec;
import org.jexecnet.internal.worker.WorkerMain;

/**
 * Starts a worker JVM as a child process ({@code popen}), running jexecnet from the master's own jar
 * or classes directory, so there is nothing to install.
 *
 * <p>The child is started through {@code setsid} (where there is one) and {@code sh}, which moves the
 * protocol pipes to descriptors 3 and 4 and points descriptor 1 at stderr (see {@link WorkerMain});
 * each {@code exec}s the next, so the JVM is the direct child, and leads a process group of its own
 * ({@link ProcessGroup}).
 */
public final class Popen {
    private Popen() {}

    /** Moves the protocol pipes to descriptors 3 and 4 and points 1 at stderr: the worker's redirections. */
    static final String MOVE_PIPES_REDIRECTIONS = "3<&0 4>&1 0</dev/null 1>&2";
    private static final String MOVE_PIPES = "exec \"$0\" \"$@\" " + MOVE_PIPES_REDIRECTIONS;
    /** How long a worker JVM may take to start on a loaded machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Flags for a quick start: no hsperfdata file to create, and class-data sharing where the JVM has an
     * archive. The default collector stays: on Java 17 only G1 maps the archived module graph, which
     * saves about 10 ms of every start. {@code jvmargs=} comes later on the command line and overrides them.
     */
    static final List<String> JVM_FLAGS = List.of("-XX:-UsePerfData", "-Xshare:auto");

    /**
     * Starts the worker and waits until it is ready.
     *
     * @throws ExecnetException when it cannot start; the message says why and shows its stderr
     */
    public static WorkerProcess start(XSpec spec, String id, ExecModel model) {
        List<String> java = spec.java() == null
                ? List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                : program(spec, "java");
        List<String> command = new ArrayList<>(List.of("sh", "-c", MOVE_PIPES));
        command.addAll(java);
        command.addAll(JVM_FLAGS);
        command.addAll(spec.jvmArgs());
        String classPath = spec.get("classpath") == null ? ownClassPath() : ownClassPath() + File.pathSeparator + spec.get("classpath");
        Path files = filesDirectory(id);
        command.addAll(List.of("-cp", classPath, WorkerMain.class.getName(), id, model.specName(), files.toString(),
                String.valueOf(spec.heartbeatSeconds()), String.valueOf(spec.windowBytes())));

        String description = "worker JVM " + id + " (" + String.join(" ", java) + ")";
        Process process = launch(spec, command, description);
        WorkerProcess worker = new WorkerProcess(process, id, description, files);
        try {
            worker.awaitReady(WorkerProcess.Handshake.readyByte(WorkerMain.READY), START_TIMEOUT, Map.of());
        } catch (ExecnetException e) {
            String notAJvm = spec.java() == null ? null : JvmCheck.notAJvm(java, true);
            if (notAJvm != null) {
                throw new ExecnetException("java=" + spec.java() + ": " + notAJvm + "; name the java program of a JDK or JRE 17"
                        + " or newer", e);
            }
            throw e;
        }
        return worker;
    }

    /**
     * Starts a worker's command as the spec asks, for JVM and Python workers alike: in a process group of
     * its own, under {@code nice},
     * with the {@code env:} variables, in the {@code chdir=} directory (created when missing).
     */
    static Process launch(XSpec spec, List<String> command, String description) {
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
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ExecnetException("cannot start " + description + ": " + e.getMessage(), e);
        }
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

    /** Where jexecnet's classes are: the jar or directory this class was loaded from. */
    static String ownClassPath() {
        try {
            return Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new ExecnetException("cannot locate jexecnet's own jar to start a worker: " + e, e);
        }
    }
}
