package org.jexecnet;

/**
 * A value could not be turned into execnet's serialized form, or bytes could not be read back as a
 * value. The two cases are {@link DumpException} and {@link LoadException}, as execnet's
 * {@code DumpError} and {@code LoadError}.
 */
public abstract sealed class DataFormatException extends ExecnetException
        permits DumpException, LoadException {
    private static final long serialVersionUID = 1L;

    DataFormatException(String message) {
        super(message);
    }
}
