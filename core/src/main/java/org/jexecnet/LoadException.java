package org.jexecnet;

/**
 * Bytes are not a valid serialized value: truncated data, an unknown opcode, a wrong version byte, a
 * length that exceeds the bytes present, a malformed container, invalid UTF-8, nesting too deep.
 *
 * <p>Loading never trusts a length prefix: nothing larger than the input itself is allocated, so
 * hostile input ends in this exception, never in an {@code OutOfMemoryError}.
 */
public final class LoadException extends DataFormatException {
    private static final long serialVersionUID = 1L;

    /** The byte offset in the input at which the data went wrong. */
    private final int offset;

    /**
     * Creates the exception.
     *
     * @param offset the byte offset in the input where the problem was found
     * @param reason what is wrong there
     */
    public LoadException(int offset, String reason) {
        super("malformed data at byte " + offset + ": " + reason);
        this.offset = offset;
    }

    /**
     * The byte offset in the input (counting the version byte, where there is one) of the opcode or
     * field that could not be read.
     *
     * @return the offset, from 0
     */
    public int offset() {
        return offset;
    }
}
