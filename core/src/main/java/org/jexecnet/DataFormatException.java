package org.jexecnet;

/**
 * A value could not be turned into execnet's serialized form, bytes could not be read back as a
 * value, or a value is not of the type its receiver asked for. The cases are {@link DumpException}
 * and {@link LoadException}, as execnet's {@code DumpError} and {@code LoadError}, and
 * {@link ConversionException}, which typed receives such as {@link Channel#receive(Class, java.time.Duration)} raise.
 */
public abstract sealed class DataFormatException extends ExecnetException
        permits DumpException, LoadException, ConversionException {
    private static final long serialVersionUID = 1L;

    DataFormatException(String message) {
        super(message);
    }
}
