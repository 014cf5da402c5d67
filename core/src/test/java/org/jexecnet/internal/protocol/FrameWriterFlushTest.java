package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Coalescing, by the fake clock: a stream of frames is buffered and flushed 100 µs later; a conversation is not. */
class FrameWriterFlushTest {
    private final FakeClock clock = new FakeClock();
    private final TaskRunner runner = TaskRunner.manual(clock);
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final FrameWriter writer = new FrameWriter(sink, "test", clock, runner.newQueue("writes"));

    private static final int FRAME = 9 + 5;

    @Test
    void framesCloseTogetherAreBufferedUntilTheFlushTaskRuns() throws Exception {
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 1});
        assertEquals(FRAME, sink.size(), "the first frame of a burst goes out at once");
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 2});
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 3});
        assertEquals(FRAME, sink.size(), "the rest of the burst waits in the buffer");
        clock.advance(Duration.ofNanos(99_000));
        runner.runDueTasks();
        assertEquals(FRAME, sink.size(), "not yet: the flush comes 100 µs after the burst began to wait");
        clock.advance(Duration.ofNanos(1_000));
        runner.runDueTasks();
        assertEquals(3 * FRAME, sink.size());
    }

    @Test
    void aFrameReceivedBetweenTwoWritesMakesAConversationWhichFlushesEachFrame() throws Exception {
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 1});
        writer.noteReceived();
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 2});
        assertEquals(2 * FRAME, sink.size());
    }

    @Test
    void framesFarApartAreEachFlushed() throws Exception {
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 1});
        clock.advance(Duration.ofMillis(1));
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 2});
        assertEquals(2 * FRAME, sink.size());
    }

    @Test
    void aThreadAboutToWaitFlushesTheBufferItself() throws Exception {
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 1});
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 2});
        writer.flushIfDirty();
        assertEquals(2 * FRAME, sink.size());
    }
}
