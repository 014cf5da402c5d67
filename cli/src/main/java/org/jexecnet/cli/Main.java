package org.jexecnet.cli;

import java.io.PrintWriter;
import org.jexecnet.ExecnetException;
import org.jexecnet.RemoteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jexecnet} command. Exit codes: 0 when all went well, 1 when something failed at run time
 * (remote code, a connection, the environment), 2 for a usage error (options, arguments, a gateway spec); {@code test} has
 * the Console Launcher's codes instead.
 * Errors are one line on stderr; {@code -v} adds the remote or local stack trace.
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

    /** The command line with jexecnet's error handling: one line, the trace under {@code -v}. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            PrintWriter err = command.getErr();
            boolean verbose = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("-v");
            // 2 for usage, 1 for failures (picocli's defaults), unless the command says otherwise, as test does
            int code = exception instanceof IllegalArgumentException ? command.getCommandSpec().exitCodeOnInvalidInput()
                    : command.getCommandSpec().exitCodeOnExecutionException();
            err.println("jexecnet " + command.getCommandName() + ": " + oneLine(exception));
            if (verbose) {
                err.println(exception instanceof RemoteException remote ? remote.remoteTrace() : stackTrace(exception));
            } else if (exception instanceof RemoteException) {
                err.println("(-v shows the remote stack trace)");
            }
            err.flush();
            return code;
        });
        return commandLine;
    }

    /** The exception as one line: a remote failure as its remote type and message. */
    static String oneLine(Throwable exception) {
        if (exception instanceof RemoteException remote) {
            String trace = remote.remoteTrace().strip();
            String first = trace.lines().findFirst().orElse(trace);
            if (first.startsWith("Traceback")) { // Python: the exception is the last line
                first = trace.lines().reduce((a, b) -> b).orElse(first);
            }
            return "remote failure: " + first;
        }
        String message = exception.getMessage();
        if (message == null || message.isBlank()) {
            message = exception.getClass().getName();
        } else if (!(exception instanceof ExecnetException) && !(exception instanceof IllegalArgumentException)) {
            message = exception.getClass().getSimpleName() + ": " + message;
        }
        return message.strip().lines().findFirst().orElse(message);
    }

    private static String stackTrace(Throwable exception) {
        java.io.StringWriter text = new java.io.StringWriter();
        exception.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The version, from the jar's manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jexecnet " + (version == null ? "(development build)" : version) + ", Java " + Runtime.version()};
        }
    }
}
