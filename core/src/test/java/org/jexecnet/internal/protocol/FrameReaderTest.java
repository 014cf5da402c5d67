package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;
import org.junit.jupiter.api.Test;

/** Frames as FrameWriter writes them read back whole; corrupt headers end reading with a clear error. */
class FrameReaderTest {

    private static byte[] written(FrameWriterCall... calls) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(sink, "test");
        for (FrameWriterCall call : calls) {
            call.write(writer);
        }
        writer.close();
        return sink.toByteArray();
    }

    private interface FrameWriterCall {
        void write(FrameWriter writer) throws Exception;
    }

    @Test
    void smallAndLargeFramesReadBackAsWritten() throws Exception {
        byte[] big = new byte[200_000];
        big[123] = 7;
        byte[] bigList = Dumper.dumpPayload(java.util.Collections.nCopies(20_000, 1), null);
        byte[] stream = written(
                w -> w.write(Frame.CHANNEL_DATA, 3, Dumper.dumpPayload(42, null)),
                w -> w.write(Frame.CHANNEL_DATA, 5, new byte[] {'A', 0, 3, 0x0d, 0x40}, big),
                w -> w.write(Frame.CHANNEL_DATA, 7, bigList),
                w -> w.write(Frame.GATEWAY_TERMINATE, 0, Frame.EMPTY));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(stream));

        Frame small = reader.read();
        assertEquals(42, Loader.loadPayload(small.payload(), 0, small.payload().length, StringCoercion.PLAIN, null));
        Frame bulk = reader.read();
        assertNull(bulk.payload(), "a large bytes item is read into an array of its own");
        assertArrayEquals(big, bulk.bulk());
        Frame list = reader.read();
        assertArrayEquals(bigList, list.payload(), "a large payload that is not bytes is read whole");
        assertEquals(Frame.GATEWAY_TERMINATE, reader.read().code());
        assertNull(reader.read(), "a clean end between frames");
    }

    @Test
    void corruptHeadersAreRefusedWithoutAllocatingTheirLength() throws Exception {
        byte[] unknown = {10, 0, 0, 0, 1, 0, 0, 0, 0}; // 0-7 are execnet's, 8 and 9 jexecnet's own
        assertTrue(assertThrows(ProtocolException.class, () -> new FrameReader(new ByteArrayInputStream(unknown)).read())
                .getMessage().contains("unknown message code 10"));
        byte[] negative = {4, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertTrue(assertThrows(ProtocolException.class, () -> new FrameReader(new ByteArrayInputStream(negative)).read())
                .getMessage().contains("negative payload length"));
        byte[] huge = {4, 0, 0, 0, 1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'A', 0, 0};
        assertThrows(EOFException.class, () -> new FrameReader(new ByteArrayInputStream(huge)).read());
        byte[] cut = {4, 0, 0};
        assertTrue(assertThrows(EOFException.class, () -> new FrameReader(new ByteArrayInputStream(cut)).read())
                .getMessage().contains("expected 9 bytes, got 3"));
    }
}
