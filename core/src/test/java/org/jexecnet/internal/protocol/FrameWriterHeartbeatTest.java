package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A master's heartbeat runs on the runner's timer and must never block: it is left out when a write
 * is in progress, when frames wait for their flush, or when the peer has not said it read what came
 * before, since the pipe could then be full.
 */
class FrameWriterHeartbeatTest {
    private final FakeClock clock = new FakeClock();
    private final TaskRunner runner = TaskRunner.manual(clock);
    private final Pipe pipe = new Pipe(8192);
    private final FrameWriter writer = new FrameWriter(pipe.out(), "test", clock, runner.newQueue("writes"));

    @Test
    void aHeartbeatToAPeerThatReadEverythingGoesOut() {
        assertTrue(writer.heartbeatWithoutWaiting(42));
        assertEquals(17, pipe.buffered());
    }

    @Test
    void aHeartbeatIsLeftOutWhileThePeerHasNotReadWhatCameBefore() throws Exception {
        writer.write(Frame.CHANNEL_DATA, 1, new byte[5000]); // fits the pipe; nobody reads it
        assertFalse(writer.heartbeatWithoutWaiting(0), "the peer has not reported reading 5009 bytes");
        assertEquals(5009, pipe.buffered());
        writer.notePeerRead(5009); // its heartbeat says it read them
        assertTrue(writer.heartbeatWithoutWaiting(0));
        assertEquals(5009 + 17, pipe.buffered());
    }

    @Test
    void aHeartbeatIsLeftOutWhileAnotherFrameIsBeingWritten() throws Exception {
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                writer.write(Frame.CHANNEL_DATA, 1, new byte[20_000]); // more than the pipe holds: it waits, holding the lock
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pipe.buffered() < 8192 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // until the writer has filled the pipe
        }
        writer.notePeerRead(1 << 30);
        assertFalse(writer.heartbeatWithoutWaiting(0), "it returned at once instead of waiting behind the blocked write");
        pipe.in().readNBytes(20_009); // the peer reads: the blocked write completes
        blocked.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aHeartbeatIsLeftOutWhileFramesWaitForTheirFlush() throws Exception {
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 1});
        writer.write(Frame.CHANNEL_DATA, 1, new byte[] {'F', 0, 0, 0, 2}); // a stream: buffered
        writer.notePeerRead(1 << 30);
        assertFalse(writer.heartbeatWithoutWaiting(0), "the flush will be the sign of life");
        clock.advance(Duration.ofMillis(1));
        runner.runDueTasks();
        assertTrue(writer.heartbeatWithoutWaiting(0));
    }
}
