package org.jexecnet.junit.internal;

/**
 * Stands on the master for an exception from a worker whose class the master does not have (or will not
 * load: only the JDK's and opentest4j's are rebuilt as themselves). It prints as the original: its
 * class name and message, then the worker's stack trace.
 */
final class ExceptionOnWorker extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String type;

    ExceptionOnWorker(String type, String message) {
        super(message, null, true, true);
        this.type = type;
    }

    @Override
    public String toString() {
        return getMessage() == null ? type : type + ": " + getMessage();
    }
}
