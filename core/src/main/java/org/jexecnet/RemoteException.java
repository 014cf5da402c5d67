package org.jexecnet;

/**
 * Code on the other side failed, or the other side closed the channel with an error. The message is
 * the remote stack trace (a Java stack trace from a JVM worker, a traceback from a Python one), so
 * that printing this exception shows where the failure happened over there.
 */
public class RemoteException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    /** The stack trace as the remote side printed it. */
    private final String remoteTrace;

    /**
     * Creates the exception.
     *
     * @param remoteTrace the error text the other side sent
     * @param where the gateway and channel it came from, for the message
     */
    public RemoteException(String remoteTrace, String where) {
        super("remote failure on " + where + ":\n" + remoteTrace.stripTrailing());
        this.remoteTrace = remoteTrace;
    }

    /**
     * The error text exactly as the other side sent it: for a Java worker the exception's stack trace,
     * for a Python worker its traceback.
     *
     * @return the text
     */
    public String remoteTrace() {
        return remoteTrace;
    }

    /**
     * The class name of the remote exception, as the trace names it: {@code java.lang.ArithmeticException}
     * for a JVM worker, {@code ZeroDivisionError} for a Python one: the word before the first colon of
     * the line that names the exception. Empty when there is none, as for most texts given to
     * {@link Channel#close(String)}.
     *
     * @return the type name, or an empty string
     */
    public String remoteType() {
        String text = remoteTrace.strip();
        String line;
        if (text.startsWith("Traceback (most recent call last)")) {
            line = text.substring(text.lastIndexOf('\n') + 1);
        } else {
            int end = text.indexOf('\n');
            line = end < 0 ? text : text.substring(0, end);
        }
        int colon = line.indexOf(':');
        String type = (colon < 0 ? line : line.substring(0, colon)).strip();
        // A Java exception without a message is named by its qualified class name alone.
        boolean named = colon > 0 || type.contains(".");
        return named && type.matches("[\\p{L}_$][\\p{L}\\p{N}_$.]*") ? type : "";
    }
}
