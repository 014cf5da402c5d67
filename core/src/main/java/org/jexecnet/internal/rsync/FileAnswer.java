package org.jexecnet.internal.rsync;

import org.jexecnet.Tuple;

/**
 * The source's answer to a {@link FileRequest}, in the order the requests came: the target's copy is
 * the same; the file is gone; the whole file follows in chunks; or a delta against the old copy follows
 * in batches, ended by a {@link DeltaEnd}. On the wire {@code "same"}, {@code "gone"},
 * {@code ("whole", size, first chunk)}, {@code ("delta", block size)}.
 */
sealed interface FileAnswer {

    /** The target's copy has the source's content: only its mode and time change. */
    record Same() implements FileAnswer {
        @Override
        public Object toValue() {
            return "same";
        }
    }

    /** The file vanished, or became unreadable, since the walk (execnet sends None). */
    record Gone() implements FileAnswer {
        @Override
        public Object toValue() {
            return "gone";
        }
    }

    /**
     * The whole file, {@code size} bytes; its first chunk here, the others as bare {@code byte[]} items.
     *
     * @param size the file's size
     * @param first its first chunk
     */
    record Whole(long size, byte[] first) implements FileAnswer {
        @Override
        public Object toValue() {
            return Tuple.of("whole", size, first);
        }
    }

    /**
     * A delta follows: batches of old block numbers and literal bytes, then a {@link DeltaEnd}.
     *
     * @param blockSize the block size of the target's signature
     */
    record Delta(int blockSize) implements FileAnswer {
        @Override
        public Object toValue() {
            return Tuple.of("delta", blockSize);
        }
    }

    Object toValue();

    /**
     * Reads an answer.
     *
     * @throws IllegalArgumentException when the value is not one, with what it was
     */
    static FileAnswer fromValue(Object value) {
        if ("same".equals(value)) {
            return new Same();
        }
        if ("gone".equals(value)) {
            return new Gone();
        }
        if (value instanceof Tuple t && t.size() == 3 && "whole".equals(t.get(0)) && t.get(1) instanceof Number size
                && t.get(2) instanceof byte[] first) {
            return new Whole(size.longValue(), first);
        }
        if (value instanceof Tuple t && t.size() == 2 && "delta".equals(t.get(0)) && t.get(1) instanceof Number blockSize) {
            return new Delta(blockSize.intValue());
        }
        throw new IllegalArgumentException("not an answer for a file (\"same\", \"gone\", (\"whole\", size, chunk) or"
                + " (\"delta\", block size)): " + value);
    }
}
