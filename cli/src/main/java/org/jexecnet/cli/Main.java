package org.jexecnet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jexecnet.ExecnetException;
import org.jexecnet.RemoteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jexecnet} command. Exit codes: 0 when all went well, 1 when something failed at run time
 * (remote code, a connection, the environment), 2 for a usage error (options, arguments, a gateway spec); {@code test} has
 * the Console Launcher's codes instead. An error is its message on stderr, without a stack trace; {@code -v} adds the remote
 * or local stack trace.
 */
@Command(name = "jexecnet", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Start JVMs (and Python execnet interpreters) here and on other hosts, and talk to them.",
        subcommands = {ExecCommand.class, StatusCommand.class, RsyncCommand.class, SocketServerCommand.class,
                DemoCommand.class, BenchCommand.class, TestCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: exec, status, rsync, socketserver, demo, bench or test");
    }

    /** The most lines of an error message printed without {@code -v}. */
    private static final int MAX_MESSAGE_LINES = 30;

    /**
     * The command line with jexecnet's error handling: the error's message without a stack trace (a
     * compiler's lines, a worker's last words included), the stack trace under {@code -v}; colors on a
     * terminal that wants them.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(
                Terminal.colors(Terminal.STDOUT) ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            PrintWriter err = command.getErr();
            boolean verbose = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("-v");
            // 2 for usage, 1 for failures (picocli's defaults), unless the command says otherwise, as test does
            int code = exception instanceof IllegalArgumentException ? command.getCommandSpec().exitCodeOnInvalidInput()
                    : command.getCommandSpec().exitCodeOnExecutionException();
            List<String> lines = message(exception);
            err.println(Terminal.paint("jexecnet " + command.getCommandName() + ":", Terminal.BOLD_RED, Terminal.colors(Terminal.STDERR))
                    + " " + lines.get(0));
            if (!verbose) { // the stack trace repeats the message
                lines.subList(1, lines.size()).forEach(line -> err.println(line.startsWith(" ") ? line : "  " + line));
            }
            RemoteException remote = remoteFailure(exception);
            if (verbose) {
                err.println(remote != null ? remote.remoteTrace() : stackTrace(exception));
            } else if (remote != null) {
                err.println("(-v shows the remote stack trace)");
            }
            err.flush();
            return code;
        });
        return commandLine;
    }

    /**
     * The exception as the lines of its message: a remote failure as its remote type and message; a
     * local one with its type unless it is jexecnet's or a usage error; the lines after the first (a
     * compiler's errors, a worker's stderr) as they are, up to a limit.
     */
    static List<String> message(Throwable exception) {
        if (exception instanceof RemoteException remote) {
            String trace = remote.remoteTrace().strip();
            String first = trace.lines().findFirst().orElse(trace);
            if (first.startsWith("Traceback")) { // Python: the exception is the last line
                first = trace.lines().reduce((a, b) -> b).orElse(first);
            }
            return List.of("remote failure: " + first);
        }
        String message = exception.getMessage();
        if (message == null || message.isBlank()) {
            message = exception.getClass().getName();
        } else if (!(exception instanceof ExecnetException) && !(exception instanceof IllegalArgumentException)) {
            message = exception.getClass().getSimpleName() + ": " + message;
        }
        List<String> lines = new ArrayList<>(message.strip().lines().map(String::stripTrailing).filter(line -> !line.isEmpty()).toList());
        if (lines.size() > MAX_MESSAGE_LINES) {
            int more = lines.size() - MAX_MESSAGE_LINES;
            lines.subList(MAX_MESSAGE_LINES, lines.size()).clear();
            lines.add("... " + more + " more lines (-v shows them all)");
        }
        return lines;
    }

    /** The remote failure an exception is or wraps, whose remote trace {@code -v} prints. */
    private static RemoteException remoteFailure(Throwable exception) {
        for (Throwable each = exception; each != null; each = each.getCause()) {
            if (each instanceof RemoteException remote) {
                return remote;
            }
            if (each.getCause() == each) {
                break;
            }
        }
        return null;
    }

    /** The stack trace without picocli's frames, and what called picocli: they say nothing about the error. */
    private static String stackTrace(Throwable exception) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable each = exception; each != null && seen.add(each); each = each.getCause()) {
            StackTraceElement[] frames = each.getStackTrace();
            for (int i = 0; i < frames.length; i++) {
                if (frames[i].getClassName().startsWith("picocli.")) {
                    each.setStackTrace(Arrays.copyOf(frames, i));
                    break;
                }
            }
        }
        StringWriter text = new StringWriter();
        exception.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The version jexecnet was built as, and the JVM it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jexecnet " + org.jexecnet.internal.Version.current() + ", Java " + Runtime.version()};
        }
    }
}
