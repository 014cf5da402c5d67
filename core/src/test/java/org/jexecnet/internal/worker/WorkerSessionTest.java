package org.jexecnet.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jexecnet.ExecModel;
import org.jexecnet.Tuple;
import org.jexecnet.internal.serial.Dumper;
import org.junit.jupiter.api.Test;

/** The session a master sends a worker before the frames: read back as written, and every malformed one refused. */
class WorkerSessionTest {
    private static WorkerSession read(byte[] bytes) throws IOException {
        return WorkerSession.read(new ByteArrayInputStream(bytes));
    }

    private static byte[] framed(Object value) {
        byte[] payload = Dumper.dumpPayload(value, null);
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    @Test
    void aSessionIsReadAsItWasWrittenAndNothingAfterItIsTaken() throws IOException {
        WorkerSession session = new WorkerSession("gw 7 \u00e9", ExecModel.MAIN_THREAD_ONLY, 8, 1 << 20);
        byte[] encoded = session.encode();
        byte[] followed = Arrays.copyOf(encoded, encoded.length + 3);
        ByteArrayInputStream in = new ByteArrayInputStream(followed);
        assertEquals(session, WorkerSession.read(in));
        assertEquals(3, in.available(), "the frames that follow are left for the connection");
    }

    @Test
    void anInputThatEndsFirstMeansTheMasterLeftAndAnyOtherEndIsAnError() throws IOException {
        assertNull(read(new byte[0]));
        byte[] encoded = new WorkerSession("gw0", ExecModel.THREAD, 0, 0).encode();
        for (int cut : new int[] {1, 3, 4, encoded.length - 1}) {
            IOException e = assertThrows(IOException.class, () -> read(Arrays.copyOf(encoded, cut)), "cut at " + cut);
            assertTrue(e.getMessage().contains("ended inside the master's session"), e.getMessage());
        }
    }

    @Test
    void malformedSessionsAreRefusedSayingWhatWasWrong() {
        assertRefused(ByteBuffer.allocate(4).putInt(WorkerSession.MAX_BYTES + 1).array(), "announces 65537 bytes");
        assertRefused(ByteBuffer.allocate(4).putInt(-5).array(), "announces -5 bytes");
        assertRefused(new byte[] {0, 0, 0, 2, 'Z', 'Q'}, "unreadable session");
        assertRefused(framed(Tuple.of("jexecnet-session/1", "gw0", "thread", 8)), "a tuple of 4");
        assertRefused(framed(Tuple.of("jexecnet-session/9", "gw0", "thread", 8, 0)), "sent no session");
        assertRefused(framed(Tuple.of("jexecnet-session/1", "gw0", "threads", 8, 0)), "unknown execmodel 'threads'");
        assertRefused(framed(Tuple.of("jexecnet-session/1", "gw0", "thread", -1, 0)), "sent no session");
        assertRefused(framed("a string"), "but a String");
    }

    private static void assertRefused(byte[] bytes, String because) {
        IOException e = assertThrows(IOException.class, () -> read(bytes), because);
        assertTrue(e.getMessage().contains(because), e.getMessage());
    }
}
