package org.jexecnet.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jexecnet.ExecModel;
import org.jexecnet.ExecnetException;
import org.jexecnet.XSpec;
import org.jexecnet.internal.archive.ArchiveKind;
import org.jexecnet.internal.archive.WorkerArchive;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.worker.WorkerMain;
import org.jexecnet.internal.worker.WorkerSession;

/**
 * Starts a worker on another host through the system's {@code ssh} client ({@code ssh=}) or
 * {@code vagrant ssh} ({@code vagrant_ssh=}), with nothing installed there but a JVM and a POSIX
 * shell.
 *
 * <p>The remote command is one short {@code sh} script. It prints a marker line, so whatever the
 * login shell prints before it (a message of the day, an {@code echo} in {@code .bashrc}) is skipped;
 * it checks that the JVM is there; it answers {@code have} when the host's cache holds jexecnet's jar
 * under its SHA-256, or {@code need} and then takes exactly the jar's length from stdin with
 * {@code head -c}, which never reads past it; and it replaces itself with the worker JVM, the
 * protocol moved to descriptors 3 and 4 as for a popen worker. So the first contact ships about
 * 190 KB and every later one ships nothing but the script.
 *
 * <p>A {@code python=} spec starts execnet's own Python worker the same way, with execnet's
 * bootstrap line. ssh gets {@code ServerAliveInterval} unless the spec sets it: a host that stops
 * answering ends the gateway within about ten seconds instead of leaving it waiting.
 */
public final class Ssh {
    private Ssh() {}

    static final String MARKER = "JEXECNET-BOOT-1";
    /** In a training run's script: what the worker records, and the archive the second step makes of it, as shell words. */
    private static final Path RECORDED = Path.of("$_JX_A.rec.$$");
    private static final Path MADE = Path.of("$_JX_A.new.$$");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** What a login shell may print before the bootstrap's marker; more than this is not a shell's greeting. */
    private static final int MAX_NOISE = 64 * 1024;
    private static final List<String> KEEPALIVE = List.of("-o", "ServerAliveInterval=3", "-o", "ServerAliveCountMax=3");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    // Exit statuses of the bootstrap's own, which neither sh nor ssh uses.
    private static final int SSH_FAILED = 255;
    private static final String SSH_FAILED_HINT = "ssh could not reach the host or log in: ssh's message follows";
    private static final int NO_PROGRAM = 90;
    private static final int NO_CACHE = 91;
    private static final int NO_CHDIR = 92;
    /** What sh returns when exec finds a file it cannot run. */
    private static final int CANNOT_EXECUTE = 126;

    /**
     * Starts the remote worker and waits until it is ready.
     *
     * @throws ExecnetException when ssh cannot reach or log in to the host (with ssh's own message),
     *     when the host has no JVM, or when the worker does not start: the message says which
     * @throws IllegalArgumentException when the spec names no host or an invalid {@code env:} name
     */
    public static WorkerProcess start(XSpec spec, String id, ExecModel model) {
        if (spec.has("python")) {
            PythonPopen.requirePythonModel(spec, model);
            WorkerProcess.Handshake bootstrap = PythonPopen.handshake(id, model);
            return launch(spec, id, pythonScript(spec), worker -> (in, out) -> skipToMarker(in) && bootstrap.run(in, out), false);
        }
        WorkerSession session = Transports.session(spec, id, model);
        String archives = archiveDirectory(spec);
        if (archives == null) {
            return startJvm(spec, session, null, null);
        }
        ArchiveReport report = new ArchiveReport();
        try {
            WorkerProcess worker = startJvm(spec, session, archives, report);
            if (report.used && worker.archiveRefusal() != null) {
                worker.needsRemoteArchive(report.kind); // made again, over the one the JVM refused
            }
            return worker;
        } catch (ExecnetException failed) {
            if (!report.used) {
                throw failed;
            }
            // Its archive may be what failed it: without it, and if that works, the archive is made again.
            WorkerProcess worker = startJvm(spec, session, null, null);
            worker.needsRemoteArchive(report.kind);
            return worker;
        }
    }

    /**
     * Starts a worker that records what it loads for its host's archive, as the training run of
     * {@code ArchiveTrainer}: when it exits, the bootstrap's shell puts the archive in place (for an AOT
     * cache after the second step that makes it), at the lowest priority. Its stderr is not shown.
     */
    public static WorkerProcess startRecording(XSpec spec, WorkerSession session, ArchiveKind kind) {
        String archives = archiveDirectory(spec);
        if (archives == null) {
            throw new IllegalArgumentException("archives are off for '" + spec + "'");
        }
        OwnJar jar = OwnJar.get();
        String script = jvmScript(spec, session.id(), jar, archives, kind);
        return launch(spec, session.id(), script, worker -> jarHandshake(session, jar, worker, null), true);
    }

    /** What a host said of its archive for the worker's configuration. */
    private static final class ArchiveReport {
        volatile boolean used;
        volatile ArchiveKind kind;
    }

    /**
     * Starts a JVM worker; with {@code archives}, from the host's archive when it has one, else asking for
     * one to be made ({@link WorkerProcess#remoteArchiveToMake()}).
     */
    private static WorkerProcess startJvm(XSpec spec, WorkerSession session, String archives, ArchiveReport report) {
        OwnJar jar = OwnJar.get();
        String script = jvmScript(spec, session.id(), jar, archives, null);
        WorkerProcess worker = launch(spec, session.id(), script, started -> jarHandshake(session, jar, started, report), false);
        if (report != null && !report.used && report.kind != null) {
            worker.needsRemoteArchive(report.kind);
        }
        return worker;
    }

    /**
     * The JVM bootstrap's conversation: jexecnet's jar when the host lacks it, the host's word on its
     * archive (with {@code report}), the session, then the ready byte.
     */
    private static WorkerProcess.Handshake jarHandshake(WorkerSession session, OwnJar jar, WorkerProcess worker, ArchiveReport report) {
        String id = session.id();
        return (in, out) -> {
            if (!skipToMarker(in)) {
                return false;
            }
            String answer = readLine(in);
            if (answer.equals("need")) {
                if (Trace.ON) {
                    Trace.log(id + ": shipping jexecnet's jar, " + jar.bytes().length + " bytes, sha256 " + jar.sha256());
                }
                out.write(jar.bytes());
                out.flush();
            } else if (!answer.equals("have")) {
                return false; // the bootstrap stopped: its exit status and stderr say why
            }
            if (report != null) {
                readArchiveLine(readLine(in), report);
                if (report.used) {
                    worker.startedFromArchive(); // what its JVM says about the archive is jexecnet's business
                }
            }
            out.write(session.encode());
            out.flush();
            return in.read() == WorkerMain.READY;
        };
    }

    /** {@code archive used|none|off [feature release]}: what the host has, and the kind its JVM makes. */
    private static void readArchiveLine(String line, ArchiveReport report) throws IOException {
        String[] words = line.split(" ");
        if (words.length < 2 || !words[0].equals("archive")) {
            throw new IOException("the bootstrap said \"" + line + "\" where it tells of its archive");
        }
        report.used = words[1].equals("used");
        if (!words[1].equals("off") && words.length == 3 && words[2].matches("[0-9]{1,3}")) {
            int feature = Integer.parseInt(words[2]);
            report.kind = feature >= 24 ? ArchiveKind.AOT_CACHE : feature >= 17 ? ArchiveKind.CLASS_DATA : null;
        }
    }

    /** Starts the bootstrap over ssh and waits until the worker is ready. */
    private static WorkerProcess launch(XSpec spec, String id, String script, Function<WorkerProcess, WorkerProcess.Handshake> handshake,
            boolean quiet) {
        boolean python = spec.has("python");
        List<String> command = command(spec, "sh -c " + quote(script));
        String description = (python ? "Python worker " : "worker JVM ") + id + " over " + String.join(" ", command.subList(0,
                command.size() - 1));
        if (Trace.ON) {
            Trace.log(id + ": " + description + ", remote command of " + command.get(command.size() - 1).length() + " characters");
        }
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ExecnetException("cannot start " + description + ": " + e.getMessage(), e);
        }
        WorkerProcess worker = quiet ? new WorkerProcess(process, id, description, null, new PrintStream(OutputStream.nullOutputStream()))
                : new WorkerProcess(process, id, description, null);
        String program = python ? "python=" + spec.get("python") : "java=" + (spec.java() == null ? "java" : spec.java());
        try {
            awaitReady(worker, handshake.apply(worker), spec, python, program);
        } catch (ExecnetException e) {
            // ssh reached the host, but the program it started never said it was ready: is it a JVM at all?
            String notAJvm = python || spec.java() == null || e.getMessage().contains(SSH_FAILED_HINT) ? null
                    : JvmCheck.notAJvm(command(spec, quote(spec.java().strip().split("\\s+")[0]) + " -version 2>&1"), false);
            if (notAJvm != null) {
                throw new ExecnetException("java=" + spec.java() + " on that host: " + notAJvm + "; name the java program of a"
                        + " JDK or JRE 17 or newer there", e);
            }
            throw e;
        }
        return worker;
    }

    /**
     * Where the host keeps worker archives, as a shell word, or null when they are off: {@code archive=}
     * of the spec (an absolute directory there), else {@code off} from the master's {@code jexecnet.archive}
     * or {@code JEXECNET_ARCHIVE}, else {@code archives} in the host's cache. A master's own directory
     * setting is a path on the master, not on the host, and does not apply there.
     */
    private static String archiveDirectory(XSpec spec) {
        String setting = spec.get(WorkerArchive.SPEC_KEY);
        boolean offHere = WorkerArchive.directory(XSpec.parse("popen")) == null;
        List<String> flags = new ArrayList<>(spec.java() == null ? List.of() : Popen.words(spec, "java").subList(1, Popen.words(spec,
                "java").size()));
        flags.addAll(spec.jvmArgs());
        if (WorkerArchive.OFF.equals(setting) || setting == null && offHere || WorkerArchive.userManaged(flags)) {
            return null;
        }
        return setting == null || setting.equals(WorkerArchive.AUTO) ? "$_JX_C/archives" : quote(setting);
    }

    private static void awaitReady(WorkerProcess worker, WorkerProcess.Handshake handshake, XSpec spec, boolean python, String program) {
        worker.awaitReady(handshake, START_TIMEOUT, Map.of(
                SSH_FAILED, SSH_FAILED_HINT,
                NO_PROGRAM, python ? "no Python there: " + program + " was not found" : "no JVM there: " + program + " was not found",
                CANNOT_EXECUTE, program + " is there but cannot be run (not executable, or not a program for that machine)",
                NO_CACHE, "could not write jexecnet's jar or the worker's directory there",
                NO_CHDIR, "cannot enter chdir=" + spec.chdir() + " there",
                PythonPopen.NO_EXECNET, python ? "Python execnet is missing there" : "the worker cannot run as asked"));
    }

    /**
     * The local command: {@code ssh} or {@code vagrant ssh} with its options, then the remote command;
     * execnet's {@code ssh_args} and {@code vagrant_ssh_args}.
     */
    public static List<String> command(XSpec spec, String remoteCommand) {
        List<String> command = new ArrayList<>();
        String words;
        // XSpec has refused a blank ssh= or vagrant_ssh= already.
        if ("vagrant_ssh".equals(spec.type())) {
            command.addAll(List.of("vagrant", "ssh", spec.get("vagrant_ssh").strip(), "--"));
            words = "";
        } else {
            words = spec.get("ssh").strip();
            command.add("ssh");
        }
        if (spec.get("ssh_config") != null) {
            command.addAll(List.of("-F", spec.get("ssh_config")));
        }
        if (!words.contains("ServerAliveInterval")) {
            command.addAll(KEEPALIVE);
        }
        if (!words.isEmpty()) {
            command.addAll(List.of(words.split("\\s+")));
        }
        command.add(remoteCommand);
        return command;
    }

    /**
     * The script that starts a worker JVM, shipping the jar first when the host's cache lacks it. One
     * line, commands joined by {@code ;}, so that a login shell of any kind passes it to {@code sh}
     * intact; its own variables start with {@code _JX_}, which {@code env:} names may not.
     *
     * <p>With {@code archives} (a directory there, as a shell word), the worker starts from the host's
     * class-data archive or AOT cache for its configuration when there is one, whole as far as its size
     * tells, in a directory only this user can write to; the script says which ({@code archive used|none|off
     * <feature release>}). Its name holds what the host knows of its JVM (the release file and the JVM
     * library's size and time, through {@code cksum}) and what the master knows of the options and the
     * jar. With {@code record}, the worker records that archive instead, at the lowest priority, and the
     * script puts it in place when the worker has exited.
     */
    static String jvmScript(XSpec spec, String id, OwnJar jar, String archives, ArchiveKind record) {
        List<String> java = spec.java() == null ? List.of("java") : Popen.words(spec, "java");
        int size = jar.bytes().length;
        List<String> script = prologue(spec);
        script.add("_JX_J=" + quote(java.get(0)));
        script.add(requireProgram("JVM", "java=/path/to/bin/java"));
        script.add("_JX_C=${JEXECNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jexecnet}");
        script.add("_JX_S=" + jar.sha256() + "; _JX_F=$_JX_C/boot/$_JX_S.jar");
        // A cached jar is used only when its bytes have the hash it is named by; else it is shipped again and
        // replaced. A host with neither sha256sum nor shasum cannot check: it gets the jar every time.
        script.add("_JX_H=$({ sha256sum || shasum -a 256; } 2>/dev/null <\"$_JX_F\"); _JX_H=${_JX_H%% *}; [ \"${_JX_H:-$_JX_S}\" = $_JX_S ]"
                + " || echo \"jexecnet: $(hostname): $_JX_F does not match its SHA-256: replaced\" >&2");
        script.add("if [ \"$_JX_H\" = $_JX_S ]; then echo have; else echo need; mkdir -p \"$_JX_C/boot\" && head -c " + size
                + " >\"$_JX_F.$$\" && [ $(wc -c <\"$_JX_F.$$\") -eq " + size + " ] && mv -f \"$_JX_F.$$\" \"$_JX_F\""
                + " || { rm -f \"$_JX_F.$$\"; exit " + NO_CACHE + "; }; fi");
        // The JVM's options, in the order popen gives them: the program's own words, jexecnet's, then the user's.
        StringBuilder options = new StringBuilder();
        for (String word : java.subList(1, java.size())) {
            options.append(' ').append(quote(word));
        }
        String jexecnetFlags = " " + String.join(" ", Popen.JVM_FLAGS);
        StringBuilder userFlags = new StringBuilder();
        for (String arg : spec.jvmArgs()) {
            userFlags.append(' ').append(quote(arg));
        }
        String archiveFlags = "";
        if (archives != null) {
            List<String> shaping = new ArrayList<>(java.subList(1, java.size()));
            shaping.addAll(Popen.JVM_FLAGS);
            shaping.addAll(spec.jvmArgs());
            archiveLookup(script, archives, WorkerArchive.remoteConfiguration(shaping, jar.sha256()), record);
            archiveFlags = record == null ? " ${_JX_O:+\"$_JX_Q\" \"$_JX_O=$_JX_Y\"}" : shellWords(record.recordFlags(RECORDED));
        }
        // A directory of the worker's own, which nobody else can have made or can write to.
        String safeId = id.replaceAll("[^A-Za-z0-9_.-]", "_");
        script.add("_JX_D=$(mktemp -d \"${TMPDIR:-/tmp}/jexecnet-" + safeId + "-XXXXXXXX\") || exit " + NO_CACHE);
        chdir(spec, script);
        // The worker's command, kept once in the positional parameters for either way of starting it below.
        script.add("set -- " + (record != null ? "nice -n 19 " : nice(spec)) + "\"$_JX_J\"" + options + jexecnetFlags + archiveFlags + userFlags
                + " -cp \"$_JX_F\" " + WorkerMain.class.getName() + " \"$_JX_D\"");
        // With setsid, the worker leads a process group of its own, and the shell stays to clean up after a worker
        // killed with -9: it kills that group (what remote code started) and removes the worker's directory. It lets go
        // of the protocol pipes first, so that they end with the worker. Without setsid, the shell becomes the worker,
        // unless it has an archive to put in place afterwards.
        String redirections = Popen.MOVE_PIPES_REDIRECTIONS;
        script.add(record != null ? "_JX_X=$(command -v setsid)" : "_JX_X=$(command -v setsid) || exec \"$@\" " + redirections);
        script.add("exec " + redirections + "; $_JX_X \"$@\" & _JX_P=$!; exec 3<&- 4>&-; wait $_JX_P; _JX_E=$?;"
                + " kill -s KILL -- -$_JX_P 2>/dev/null; rm -rf \"$_JX_D\"");
        if (record != null) {
            // The second step makes the archive from what the worker recorded; the size goes last: until it is there,
            // nobody takes the archive.
            String extension = record.extension();
            script.add("rm -f \"$_JX_A.size\"; [ -s \"" + RECORDED + "\" ] && nice -n 19 \"$_JX_J\"" + options + jexecnetFlags + userFlags
                    + shellWords(record.createFlags(RECORDED, MADE)) + " -cp \"$_JX_F\" >/dev/null 2>&1 && mv -f \"" + MADE + "\" \"$_JX_A."
                    + extension + "\" && wc -c <\"$_JX_A." + extension + "\" >\"$_JX_A.size\"; rm -f \"$_JX_A\".*.$$");
        }
        script.add("exit $_JX_E");
        return join(script, spec);
    }

    /** Options with shell variables in them, each a double-quoted word. */
    private static String shellWords(List<String> flags) {
        StringBuilder words = new StringBuilder();
        for (String flag : flags) {
            words.append(" \"").append(flag).append('"');
        }
        return words.toString();
    }

    /**
     * Finds the host's archive for the configuration ({@code $_JX_A}, without its extension) and, unless
     * recording, the option that uses it ({@code $_JX_O}), and says which. Nothing is used from a
     * directory others can write to, nor for a JVM whose release the host cannot tell.
     */
    private static void archiveLookup(List<String> script, String archives, String configuration, ArchiveKind record) {
        script.add("_JX_AD=" + archives + "; mkdir -p -m 700 \"$_JX_AD\" 2>/dev/null");
        // The feature release, from JAVA_VERSION="17.0.15": 17.
        script.add("_JX_R=$(readlink -f \"$(command -v \"$_JX_J\")\" 2>/dev/null); _JX_B=${_JX_R%/bin/*};"
                + " _JX_V=$(grep ^JAVA_VERSION= \"$_JX_B/release\" 2>/dev/null); _JX_V=${_JX_V#*\\\"}; _JX_V=${_JX_V%%[.\\\"]*}");
        script.add("_JX_K=$({ cat \"$_JX_B/release\"; ls -ln \"$_JX_B/lib/server\"; } 2>/dev/null | cksum);"
                + " _JX_A=$_JX_AD/worker-$_JX_V-${_JX_K%% *}-" + configuration);
        String usable = "[ -n \"$_JX_V\" ] && [ -O \"$_JX_AD\" ] && [ -z \"$(find \"$_JX_AD\" -prune -perm -20 -o -prune -perm -2)\" ]";
        if (record != null) {
            script.add(usable + " || exit " + NO_CACHE);
            return;
        }
        // The kind by the feature release, then the archive, when its size is what wc's output (spaces and all) was when the
        // training run's wc wrote it to the size file.
        script.add("_JX_N=jsa; _JX_O=-XX:SharedArchiveFile; _JX_Q=-Xshare:on; [ \"${_JX_V:-0}\" -ge 24 ] && _JX_N=aot"
                + " _JX_O=-XX:AOTCache _JX_Q=-XX:AOTMode=on; _JX_Y=$_JX_A.$_JX_N; _JX_W=off; " + usable + " && { _JX_W=none;"
                + " [ -s \"$_JX_Y\" ] && [ \"$(wc -c <\"$_JX_Y\")\" = \"$(cat \"$_JX_A.size\" 2>/dev/null)\" ] && _JX_W=used; };"
                + " [ $_JX_W = used ] || _JX_O=; echo \"archive $_JX_W $_JX_V\"");
    }

    /** The script that starts a Python interpreter with execnet's bootstrap line, as a popen worker is started. */
    static String pythonScript(XSpec spec) {
        List<String> words = PythonPopen.command(spec);
        List<String> script = prologue(spec);
        script.add("_JX_J=" + quote(words.get(0)));
        script.add(requireProgram("Python", "python=/path/to/python3"));
        chdir(spec, script);
        StringBuilder exec = new StringBuilder("exec " + nice(spec) + "\"$_JX_J\"");
        for (String word : words.subList(1, words.size())) {
            exec.append(' ').append(quote(word)); // the bootstrap line and its options too
        }
        script.add(exec.toString());
        return join(script, spec);
    }

    /** Exits with {@link #NO_PROGRAM} and says so when {@code $_JX_J} is not a program there. */
    private static String requireProgram(String what, String hint) {
        return "command -v \"$_JX_J\" >/dev/null 2>&1 || { echo \"jexecnet: no " + what + ": $_JX_J is not on $(hostname)"
                + " (PATH=$PATH); name one with " + hint + "\" >&2; exit " + NO_PROGRAM + "; }; [ -x \"$(command -v \"$_JX_J\")\" ] || exit "
                + CANNOT_EXECUTE;
    }

    /** The marker, then the {@code env:} variables, which the rest of the script sees too. */
    private static List<String> prologue(XSpec spec) {
        List<String> script = new ArrayList<>();
        script.add("echo " + MARKER);
        spec.env().forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches() || name.startsWith("_JX_")) {
                throw new IllegalArgumentException("env:" + name + " is not a variable name a shell can set"
                        + (name.startsWith("_JX_") ? " for the worker (_JX_ names are the bootstrap's)" : "") + " (spec '" + spec + "')");
            }
            script.add("export " + name + "=" + quote(value));
        });
        return script;
    }

    private static void chdir(XSpec spec, List<String> script) {
        if (spec.chdir() != null) {
            String dir = quote(spec.chdir());
            // CDPATH= : an exported CDPATH would make cd go elsewhere and print where, into the protocol.
            script.add("mkdir -p -- " + dir + " && CDPATH= cd -P -- " + dir + " >/dev/null || exit " + NO_CHDIR);
        }
    }

    private static String nice(XSpec spec) {
        return spec.nice() == null ? "" : "nice -n " + spec.nice() + " ";
    }

    /** One line: a newline in a value would break login shells that do not allow one inside quotes. */
    private static String join(List<String> script, XSpec spec) {
        String line = String.join("; ", script);
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a value in gateway spec '" + spec.toString().replace("\n", "\\n")
                    + "' has a line break, which an ssh command line cannot carry");
        }
        return line;
    }

    /** The text as one word for a POSIX shell. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * Reads up to and including the marker line, skipping what a login shell printed before it.
     *
     * @return false when the output ended with no marker and nothing before it
     * @throws IOException when the output ended, or ran too long, before the marker: the message
     *     shows what the remote side printed instead
     */
    static boolean skipToMarker(InputStream in) throws IOException {
        byte[] marker = (MARKER + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream noise = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < marker.length) {
            int b = in.read();
            if (b < 0) {
                if (noise.size() == 0 && matched == 0) {
                    return false;
                }
                throw new IOException("the remote side printed this and ended before the bootstrap began: " + shown(noise));
            }
            // The marker's first byte occurs in it once, so a mismatch can only restart the match there.
            if (b == marker[matched]) {
                matched++;
            } else {
                noise.write(marker, 0, matched);
                matched = b == marker[0] ? 1 : 0;
                if (matched == 0) {
                    noise.write(b);
                }
            }
            if (noise.size() > MAX_NOISE) {
                throw new IOException("the remote side printed more than " + MAX_NOISE + " bytes before the bootstrap began: "
                        + shown(noise));
            }
        }
        if (noise.size() > 0 && Trace.ON) {
            Trace.log("skipped what the remote login shell printed: " + shown(noise));
        }
        return true;
    }

    private static String shown(ByteArrayOutputStream noise) {
        String text = noise.toString(StandardCharsets.UTF_8).strip();
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    /** A short line of the bootstrap's, without its newline. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (line.length() > 16) {
                throw new IOException("the bootstrap answered with an unexpected line starting " + line);
            }
            line.append((char) b);
        }
        return line.toString();
    }
}
