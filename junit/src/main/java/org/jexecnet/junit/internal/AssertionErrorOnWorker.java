package org.jexecnet.junit.internal;

/**
 * As {@link ExceptionOnWorker}, for an assertion error, which the reports count as a failure rather than
 * an error.
 */
final class AssertionErrorOnWorker extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final String type;

    AssertionErrorOnWorker(String type, String message) {
        super(message);
        this.type = type;
    }

    @Override
    public String toString() {
        return getMessage() == null ? type : type + ": " + getMessage();
    }
}
