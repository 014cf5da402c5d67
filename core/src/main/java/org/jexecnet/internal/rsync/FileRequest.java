package org.jexecnet.internal.rsync;

import org.jexecnet.Tuple;

/**
 * The target asks for a file of the listing: with its old copy's fingerprint when it has one of the
 * same size, and with its signature when a delta can pay. On the wire
 * {@code ("send", path, fingerprint or None, signature or None, block size, old size or -1)}.
 *
 * @param path the file, relative to the synced root
 * @param fingerprint the old copy's fingerprint, or null
 * @param blocks the old copy's block signature, or null
 * @param blockSize the signature's block size; 0 without one
 * @param oldSize the old copy's size, or -1 when there is none
 */
record FileRequest(String path, byte[] fingerprint, byte[] blocks, int blockSize, long oldSize) {

    Tuple toValue() {
        return Tuple.of("send", path, fingerprint, blocks, blockSize, oldSize);
    }

    /**
     * Reads a request.
     *
     * @throws IllegalArgumentException when the value is not one, with what it was
     */
    static FileRequest fromValue(Object value) {
        if (value instanceof Tuple t && t.size() == 6 && "send".equals(t.get(0)) && t.get(1) instanceof String path
                && (t.get(2) == null || t.get(2) instanceof byte[]) && (t.get(3) == null || t.get(3) instanceof byte[])
                && t.get(4) instanceof Number blockSize && t.get(5) instanceof Number oldSize) {
            return new FileRequest(path, (byte[]) t.get(2), (byte[]) t.get(3), blockSize.intValue(), oldSize.longValue());
        }
        throw new IllegalArgumentException("not a file request (\"send\", path, fingerprint, signature, block size, old size): "
                + value);
    }
}
