package org.jexecnet.internal.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jexecnet.ExecModel;
import org.jexecnet.ExecnetException;
import org.jexecnet.XSpec;

/**
 * Starts a Python interpreter as a worker ({@code popen//python=...}), bootstrapped as execnet
 * bootstraps its popen gateways: {@code python -u -c "import sys;exec(eval(sys.stdin.readline()))"}
 * reads one line, a Python string literal holding the code to run, which imports the execnet
 * installed for that interpreter and serves execnet's protocol, the same as ours.
 */
public final class PythonPopen {
    private PythonPopen() {}

    /** What the interpreter runs first: it reads one line, a Python string literal, and runs what it holds. */
    public static final String BOOTLINE = "import sys;exec(eval(sys.stdin.readline()))";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The byte execnet's bootstrap writes once its worker is serving. */
    private static final int READY = '1';
    /** The exit status of the bootstrap when the interpreter cannot import execnet. */
    static final int NO_EXECNET = 3;

    /**
     * Starts the interpreter and waits until execnet serves.
     *
     * @throws ExecnetException when it cannot start, or has no execnet: the message says which
     * @throws IllegalArgumentException for an execution model Python execnet has no counterpart of
     */
    public static WorkerProcess start(XSpec spec, String id, ExecModel model) {
        requirePythonModel(spec, model);
        List<String> python = Popen.program(spec, "python"); // refuses a path that cannot run, with the reason
        List<String> command = command(spec);
        String description = "Python worker " + id + " (" + String.join(" ", python) + ")";
        Process process = Popen.launch(spec, command, description);
        WorkerProcess worker = new WorkerProcess(process, id, description, null);
        worker.awaitReady(handshake(id, model), START_TIMEOUT, KNOWN_STATUSES);
        return worker;
    }

    /**
     * The command that starts the interpreter, as execnet's {@code popen_args}: the {@code python=}
     * words (split by shell rules), {@code -B} for {@code dont_write_bytecode}, then {@code -u -c} and
     * the bootstrap line. Not checked for existence: {@link #start} does that.
     *
     * @throws IllegalArgumentException when {@code python=} names no program
     */
    public static List<String> command(XSpec spec) {
        List<String> command = new ArrayList<>(Popen.words(spec, "python"));
        if (spec.has("dont_write_bytecode")) {
            command.add("-B");
        }
        command.addAll(List.of("-u", "-c", BOOTLINE));
        return command;
    }

    /** Refuses the one execution model Python execnet has no counterpart of. */
    static void requirePythonModel(XSpec spec, ExecModel model) {
        if (model == ExecModel.VIRTUAL) {
            throw new IllegalArgumentException("execmodel=virtual is the JVM's; a Python worker (python=" + spec.get("python")
                    + ") runs thread or main_thread_only");
        }
    }

    /** Exit statuses of the bootstrap that name their cause. */
    static final Map<Integer, String> KNOWN_STATUSES = Map.of(NO_EXECNET, "Python execnet is missing there");

    /** Sends the bootstrap line, then waits for execnet's ready byte. */
    static WorkerProcess.Handshake handshake(String id, ExecModel model) {
        byte[] line = (pythonLiteral(bootstrap(id, model)) + "\n").getBytes(StandardCharsets.UTF_8);
        return (in, out) -> {
            out.write(line);
            out.flush();
            return in.read() == READY;
        };
    }

    /** What the interpreter runs: execnet's own worker loop, from the execnet installed for it. */
    private static String bootstrap(String id, ExecModel model) {
        return String.join("\n",
                "import sys",
                "try:",
                "    from execnet.gateway_base import serve, init_popen_io, get_execmodel",
                "except ImportError as e:",
                "    sys.stderr.write('jexecnet: this Python (%s) cannot import execnet (%s):"
                        + " install it, e.g. Debian\\'s python3-execnet\\n' % (sys.executable, e))",
                "    sys.exit(" + NO_EXECNET + ")",
                "execmodel = get_execmodel(" + pythonLiteral(model.specName()) + ")",
                "io = init_popen_io(execmodel)",
                "io.write('1'.encode('ascii'))",
                "serve(io, id=" + pythonLiteral(id + "-worker") + ")");
    }

    /** A Python string literal of the text: what {@code eval} turns back into it. */
    public static String pythonLiteral(String text) {
        StringBuilder literal = new StringBuilder("'");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> literal.append("\\\\");
                case '\'' -> literal.append("\\'");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        literal.append(String.format("\\u%04x", (int) c));
                    } else {
                        literal.append(c);
                    }
                }
            }
        }
        return literal.append('\'').toString();
    }
}
