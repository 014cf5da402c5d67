package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.PythonExecnet;
import org.junit.jupiter.api.Test;

/** {@link Execnet#dump} and {@link Execnet#load}: execnet's dump(file, obj) and load(file), one value at a time. */
class DumpLoadTest {

    /** Hands out one byte per read and counts what was taken, so a read past the value shows. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        int taken;

        Trickle(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return taken < data.length ? data[taken++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }

    @Test
    void valuesFollowEachOtherInAStreamAndEachLoadReadsExactlyOne() throws Exception {
        // 0x51 is 'Q', STOP: inside an int, a float, a string's length and text, it must not end the value.
        List<Object> values = List.of(0x51515151, "QQQ", Map.of("Q", List.of(1.0000000000000002, new byte[0])), Tuple.of(), "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object value : values) {
            Execnet.dump(out, value);
        }
        out.write("rest".getBytes(StandardCharsets.US_ASCII));
        byte[] stream = out.toByteArray();
        Trickle in = new Trickle(stream);
        int expectedEnd = 0;
        for (Object value : values) {
            Object loaded = Execnet.load(in);
            expectedEnd += Execnet.dumps(value).length;
            assertEquals(expectedEnd, in.taken, "load stopped at the end of " + value);
            if (loaded instanceof Map<?, ?> map) {
                assertEquals(List.of(1.0000000000000002), ((List<?>) map.get("Q")).subList(0, 1));
            } else {
                assertEquals(value, loaded);
            }
        }
        assertArrayEquals("rest".getBytes(StandardCharsets.US_ASCII), in.readAllBytes(), "the rest is left for the next reader");
        assertThrows(EOFException.class, () -> Execnet.load(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void streamsWrittenByPythonExecnetLoadAndOursLoadThere() throws Exception {
        Process python = new ProcessBuilder(PythonExecnet.interpreter(), "-c",
                "import sys, execnet\n"
                        + "execnet.dump(sys.stdout.buffer, [1, 'two', (3.5, None)])\n"
                        + "execnet.dump(sys.stdout.buffer, {'k': b'v'})\n"
                        + "v = execnet.load(sys.stdin.buffer)\n"
                        + "sys.stdout.buffer.write(repr(v).encode())\n"
                        + "sys.stdout.buffer.write(repr(sys.stdin.buffer.read()).encode())\n").start();
        // Debian's execnet is 1.9, which reads only its own version byte: dumps(value, 1) writes it.
        python.getOutputStream().write(Execnet.dumps(List.of("from", "java", FrozenSet.of(7)), 1));
        python.getOutputStream().write("tail".getBytes(StandardCharsets.US_ASCII));
        python.getOutputStream().close();
        InputStream in = python.getInputStream();
        assertEquals(List.of(1, "two", Tuple.of(3.5, null)), Execnet.load(in));
        Map<?, ?> dict = Execnet.load(in, Map.class);
        assertArrayEquals(new byte[] {'v'}, (byte[]) dict.get("k"));
        assertEquals("['from', 'java', frozenset({7})]b'tail'", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(python.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, python.exitValue(), new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void hostileStreamsFailWithTheOffsetAndAllocateOnlyWhatArrived() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        // A string announcing 2 GiB - 1, followed by 5 bytes.
        LoadException huge = assertThrows(LoadException.class,
                () -> Execnet.load(new ByteArrayInputStream(new byte[] {2, 'N', 0x7f, -1, -1, -1, 'a', 'b', 'c', 'd', 'e'})));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes for 11 bytes of input");
        assertEquals(1, huge.offset());
        assertTrue(huge.getMessage().contains("truncated"), huge.getMessage());

        LoadException opcode = assertThrows(LoadException.class, () -> Execnet.load(new ByteArrayInputStream(new byte[] {2, 'L', 'Z', 'Q'})));
        assertEquals(2, opcode.offset());
        assertTrue(opcode.getMessage().contains("unknown opcode 0x5a"), opcode.getMessage());
        LoadException version = assertThrows(LoadException.class, () -> Execnet.load(new ByteArrayInputStream(new byte[] {3, 'L', 'Q'})));
        assertTrue(version.getMessage().contains("unknown dump format version 0x03"), version.getMessage());
        LoadException negative = assertThrows(LoadException.class,
                () -> Execnet.load(new ByteArrayInputStream(new byte[] {2, 'A', -1, -1, -1, -2, 'Q'})));
        assertTrue(negative.getMessage().contains("negative length -2"), negative.getMessage());
        LoadException stack = assertThrows(LoadException.class, () -> Execnet.load(new ByteArrayInputStream(new byte[] {2, 'L', 'L', 'Q'})));
        assertTrue(stack.getMessage().contains("STOP with 2 values on the stack"), stack.getMessage());
        LoadException cut = assertThrows(LoadException.class,
                () -> Execnet.load(new ByteArrayInputStream(Arrays.copyOf(Execnet.dumps(List.of(1, 2)), 9))));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
    }
}
