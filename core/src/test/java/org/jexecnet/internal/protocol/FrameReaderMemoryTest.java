package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Finding 5 of issue 15, its second half: a single frame that streamed 2 GiB took a worker to 4.2 GiB,
 * its buffer doubling as the bytes came. A large frame costs little more than itself.
 */
class FrameReaderMemoryTest {

    /** A CHANNEL_DATA frame of one bytes value, its bytes made as they are read. */
    private static InputStream bulkFrame(int bytes) {
        int length = bytes + 6;
        byte[] head = {Frame.CHANNEL_DATA, 0, 0, 0, 1, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
            (byte) length, 'A', (byte) (bytes >>> 24), (byte) (bytes >>> 16), (byte) (bytes >>> 8), (byte) bytes};
        long total = head.length + (long) bytes + 1;
        return new InputStream() {
            private long at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at == total) {
                    return -1;
                }
                int n = (int) Math.min(len, Math.min(total - at, 1 << 16));
                for (int i = 0; i < n; i++) {
                    long p = at + i;
                    b[off + i] = p < head.length ? head[(int) p] : p == total - 1 ? (byte) 'Q' : (byte) p;
                }
                at += n;
                return n;
            }
        };
    }

    private static long allocatedHere() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aLargeFrameIsReadWithLittleMoreMemoryThanItsOwn() throws Exception {
        int bytes = 256 << 20;
        FrameReader reader = new FrameReader(bulkFrame(bytes));
        long before = allocatedHere();
        Frame frame = reader.read();
        long allocated = allocatedHere() - before;
        assertEquals(bytes, frame.bulk().length);
        assertEquals((byte) 14, frame.bulk()[0], "the first byte after the head");
        assertEquals((byte) (14 + bytes - 1), frame.bulk()[bytes - 1], "the last");
        // Before: 8, 16, ... 256 MiB, each grown array a copy of the last: 1.97 times the frame.
        assertTrue(allocated < bytes * 3L / 2, "reading " + (bytes >> 20) + " MiB allocated " + (allocated >> 20) + " MiB");
    }
}
