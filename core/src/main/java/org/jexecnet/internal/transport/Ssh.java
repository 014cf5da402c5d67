package org.jexecnet.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jexecnet.ExecModel;
import org.jexecnet.ExecnetException;
import org.jexecnet.XSpec;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.worker.WorkerMain;

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
        boolean python = spec.has("python");
        String script;
        WorkerProcess.Handshake handshake;
        if (python) {
            PythonPopen.requirePythonModel(spec, model);
            script = pythonScript(spec);
            WorkerProcess.Handshake bootstrap = PythonPopen.handshake(id, model);
            handshake = (in, out) -> skipToMarker(in) && bootstrap.run(in, out);
        } else {
            OwnJar jar = OwnJar.get();
            script = jvmScript(spec, id, model, jar);
            handshake = (in, out) -> {
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
                return in.read() == WorkerMain.READY;
            };
        }
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
        WorkerProcess worker = new WorkerProcess(process, id, description, null);
        String program = python ? "python=" + spec.get("python") : "java=" + (spec.java() == null ? "java" : spec.java());
        try {
            awaitReady(worker, handshake, spec, python, program);
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
     */
    static String jvmScript(XSpec spec, String id, ExecModel model, OwnJar jar) {
        List<String> java = spec.java() == null ? List.of("java") : Popen.words(spec, "java");
        int size = jar.bytes().length;
        List<String> script = prologue(spec);
        script.add("_JX_J=" + quote(java.get(0)));
        script.add(requireProgram("JVM", "java=/path/to/bin/java"));
        script.add("_JX_C=${JEXECNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jexecnet}/boot");
        script.add("_JX_S=" + jar.sha256() + "; _JX_F=$_JX_C/$_JX_S.jar");
        // A cached jar is used only when its bytes have the hash it is named by; else it is shipped again and
        // replaced. A host with neither sha256sum nor shasum cannot check: it gets the jar every time.
        script.add("_JX_H=$({ sha256sum || shasum -a 256; } 2>/dev/null <\"$_JX_F\"); _JX_H=${_JX_H%% *}; [ \"${_JX_H:-$_JX_S}\" = $_JX_S ]"
                + " || echo \"jexecnet: $(hostname): $_JX_F does not match its SHA-256: replaced\" >&2");
        script.add("if [ \"$_JX_H\" = $_JX_S ]; then echo have; else echo need; mkdir -p \"$_JX_C\" && head -c " + size
                + " >\"$_JX_F.$$\" && [ $(wc -c <\"$_JX_F.$$\") -eq " + size + " ] && mv -f \"$_JX_F.$$\" \"$_JX_F\""
                + " || { rm -f \"$_JX_F.$$\"; exit " + NO_CACHE + "; }; fi");
        // A directory of the worker's own, which nobody else can have made or can write to.
        String safeId = id.replaceAll("[^A-Za-z0-9_.-]", "_");
        script.add("_JX_D=$(mktemp -d \"${TMPDIR:-/tmp}/jexecnet-" + safeId + "-XXXXXXXX\") || exit " + NO_CACHE);
        chdir(spec, script);
        // The worker's command, kept once in the positional parameters for either way of starting it below.
        StringBuilder worker = new StringBuilder("set -- " + nice(spec) + "\"$_JX_J\"");
        for (String word : java.subList(1, java.size())) {
            worker.append(' ').append(quote(word));
        }
        for (String flag : Popen.JVM_FLAGS) {
            worker.append(' ').append(flag);
        }
        for (String arg : spec.jvmArgs()) {
            worker.append(' ').append(quote(arg));
        }
        worker.append(" -cp \"$_JX_F\" ").append(WorkerMain.class.getName()).append(' ').append(quote(id)).append(' ')
                .append(model.specName()).append(" \"$_JX_D\" ").append(spec.heartbeatSeconds()).append(' ').append(spec.windowBytes());
        script.add(worker.toString());
        // With setsid, the worker leads a process group of its own, and the shell stays to clean up after a worker
        // killed with -9: it kills that group (what remote code started) and removes the worker's directory. It lets go
        // of the protocol pipes first, so that they end with the worker. Without setsid, the shell becomes the worker.
        String redirections = Popen.MOVE_PIPES_REDIRECTIONS;
        script.add("_JX_X=$(command -v setsid) || exec \"$@\" " + redirections);
        script.add("exec " + redirections + "; $_JX_X \"$@\" & _JX_P=$!; exec 3<&- 4>&-; wait $_JX_P; _JX_E=$?;"
                + " kill -s KILL -- -$_JX_P 2>/dev/null; rm -rf \"$_JX_D\"; exit $_JX_E");
        return join(script, spec);
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
