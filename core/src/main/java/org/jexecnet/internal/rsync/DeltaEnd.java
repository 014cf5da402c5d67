package org.jexecnet.internal.rsync;

import org.jexecnet.Tuple;

/**
 * The end of a delta: the fingerprint of the source's file, which the target checks its rebuilt copy
 * against. On the wire {@code ("end", fingerprint)}.
 *
 * @param fingerprint the source file's fingerprint
 */
record DeltaEnd(byte[] fingerprint) {

    Tuple toValue() {
        return Tuple.of("end", fingerprint);
    }

    /** The end, when the value is one; null when it is not (a batch of the delta). */
    static DeltaEnd ifOne(Object value) {
        return value instanceof Tuple t && t.size() == 2 && "end".equals(t.get(0)) && t.get(1) instanceof byte[] fingerprint
                ? new DeltaEnd(fingerprint) : null;
    }
}
