package org.jexecnet.internal.debug;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * execnet's tracing, as its {@code EXECNET_DEBUG} sets it, read once per process: {@code 2} writes
 * {@code [pid] message} lines to stderr (a popen worker's stderr reaches the master's), any other
 * non-empty value writes lines to {@code execnet-debug-PID} in the temp directory. Without the
 * variable, messages go to the {@code System.Logger} named {@code org.jexecnet} at DEBUG level, so
 * that an application can route them, and cost nothing when that level is off.
 *
 * <p>A worker JVM has no application to route its logs, and looking up a logger costs it start-up
 * time: it sets {@link #NO_LOGGER_PROPERTY}, and traces only when {@code EXECNET_DEBUG} says so.
 */
public final class Trace {
    private Trace() {}

    /** The system property a worker sets to trace without a System.Logger. */
    public static final String NO_LOGGER_PROPERTY = "jexecnet.trace.noLogger";

    private static final String SETTING = System.getenv("EXECNET_DEBUG");
    private static final long PID = SETTING == null || SETTING.isEmpty() ? 0 : ProcessHandle.current().pid();
    private static final PrintStream DIRECT = openDirect(SETTING);
    private static final System.Logger LOGGER = DIRECT != null || Boolean.getBoolean(NO_LOGGER_PROPERTY)
            ? null : System.getLogger("org.jexecnet");

    /** Whether tracing is on: check it before building a message. */
    public static final boolean ON = DIRECT != null || LOGGER != null && LOGGER.isLoggable(System.Logger.Level.DEBUG);

    private static PrintStream openDirect(String setting) {
        if (setting == null || setting.isEmpty()) {
            return null;
        }
        if (setting.equals("2")) {
            return System.err;
        }
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "execnet-debug-" + PID);
        try {
            OutputStream out = new FileOutputStream(file.toFile());
            return new PrintStream(out, true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("[" + PID + "] EXECNET_DEBUG: cannot write " + file + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * Reports a failure nobody else will see raised where it happened, such as a channel callback's
     * exception: to the trace when {@code EXECNET_DEBUG} is set, else to the {@code org.jexecnet}
     * System.Logger at WARNING. A worker JVM, which has no logger, only traces it: its failures reach
     * the master as remote errors.
     *
     * @param message what failed
     * @param failure the exception
     */
    public static void warn(String message, Throwable failure) {
        if (DIRECT != null) {
            log(message + ": " + failure);
        } else if (LOGGER != null) {
            LOGGER.log(System.Logger.Level.WARNING, message, failure);
        }
    }

    /**
     * Reports a condition the user should act on, such as a send stuck on credit: to the trace when
     * {@code EXECNET_DEBUG} is set, else to the {@code org.jexecnet} System.Logger at WARNING. A worker
     * JVM, which has no logger, writes it to its stderr, which the master shows prefixed with the
     * gateway's id.
     *
     * @param message what is wrong and what to do about it
     */
    public static void warn(String message) {
        if (DIRECT != null) {
            log(message);
        } else if (LOGGER != null) {
            LOGGER.log(System.Logger.Level.WARNING, message);
        } else {
            System.err.println("jexecnet: " + message);
        }
    }

    /**
     * Writes one trace line; errors in tracing are swallowed, as execnet does.
     *
     * @param message the line
     */
    public static void log(String message) {
        if (DIRECT == System.err) {
            DIRECT.println("[" + PID + "] " + message);
        } else if (DIRECT != null) {
            DIRECT.println(message);
        } else {
            LOGGER.log(System.Logger.Level.DEBUG, message);
        }
    }
}
