package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jexecnet.internal.code.ExecRequest;
import org.jexecnet.internal.protocol.Frame;
import org.jexecnet.internal.protocol.FrameReader;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;
import org.jexecnet.testing.HeapProbe;
import org.jexecnet.testing.RawWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 5 of issue 15: a peer could make us allocate without bound. Frames for channels that were
 * never opened created channel objects that were never freed (2,000,000 RECONFIGURE frames took a worker
 * from 39 to 1,095 MiB); a frame announcing more than the JVM can hold was read until it died.
 */
class HostilePeerTest {
    private static final int MIB = 1 << 20;

    private static Object load(Frame frame) throws Exception {
        byte[] payload = frame.payload();
        return Loader.loadPayload(payload, 0, payload.length, StringCoercion.CHANNEL_DEFAULT, null);
    }

    /** The next frame that is not a heartbeat, or null at the end of the stream. */
    private static Frame next(FrameReader reader) throws IOException {
        for (Frame frame = reader.read(); ; frame = reader.read()) {
            if (frame == null || frame.code() != Frame.HEARTBEAT) {
                return frame;
            }
        }
    }

    /** Writes the flood: 2,000,000 RECONFIGUREs and 100,000 each of data, closes and last messages, for ids never opened. */
    private static void flood(RawWorker worker) throws IOException {
        byte[] coercion = Dumper.dumpPayload(Tuple.of(true, false), null);
        byte[] data = Dumper.dumpPayload(new byte[1000], null);
        for (int i = 0; i < 2_000_000; i++) {
            int never = 1001 + 2 * i; // ids of the master's, never opened
            worker.frame(Frame.RECONFIGURE, never, coercion);
            if (i % 20 == 0) {
                worker.frame(Frame.CHANNEL_DATA, never, data);
                worker.frame(Frame.CHANNEL_CLOSE, never, new byte[0]);
                worker.frame(Frame.CHANNEL_LAST_MESSAGE, never + 1, new byte[0]);
            }
        }
        worker.frame(Frame.STATUS, 1, new byte[0]);
        byte[] probe = new ExecRequest(HeapProbe.class.getName(), "run", null, List.of(), new LinkedHashMap<>(),
                new LinkedHashMap<>(), new LinkedHashMap<>(), null).toPayload(null);
        worker.frame(Frame.CHANNEL_EXEC, 3, probe);
        worker.flush();
    }

    /** Floods the worker, then asks its status and its heap; the answers as frames (null where it said nothing more). */
    private static List<Frame> floodAndAsk(RawWorker worker) throws IOException {
        flood(worker);
        FrameReader reader = new FrameReader(worker.in());
        List<Frame> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(next(reader));
        }
        return answers;
    }

    @Test
    void framesForChannelsNeverOpenedAreDroppedWithoutMemory(@TempDir Path dir) throws Exception {
        try (RawWorker worker = RawWorker.start(dir, "flooded", "-Xmx64m")) {
            // On a thread of its own, bounded: a worker that drowns stops reading, and the writes would wait for good.
            CompletableFuture<List<Frame>> asking = CompletableFuture.supplyAsync(() -> {
                try {
                    return floodAndAsk(worker);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<Frame> answers = null;
            try {
                answers = asking.get(180, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                fail("the worker did not take the flood and answer: " + e + "; its stderr: " + worker.stderr());
            }
            Frame status = answers.get(0);
            assertNotNull(status, "the worker died of the flood: " + worker.stderr());
            assertEquals(Frame.CHANNEL_DATA, status.code());
            assertEquals(0, ((Map<?, ?>) load(status)).get("numchannels"), "no channel was made for them");
            assertEquals(Frame.CHANNEL_CLOSE, answers.get(1).code());
            Frame heap = answers.get(2);
            assertNotNull(heap, "the worker died: " + worker.stderr());
            assertEquals(3, heap.channelId());
            long used = ((Number) load(heap)).longValue();
            assertTrue(used < 24L * MIB, "the worker's heap holds " + used / MIB + " MiB after the flood");
            worker.frame(Frame.GATEWAY_TERMINATE, 0, new byte[0]);
            worker.flush();
            assertTrue(worker.awaitExit(30), "the worker exits when told");
        }
    }

    @Test
    void aFrameLongerThanTheWorkerCanHoldIsRefusedAtItsHeader(@TempDir Path dir) throws Exception {
        try (RawWorker worker = RawWorker.start(dir, "announced", "-Xmx64m")) {
            worker.header(Frame.CHANNEL_EXEC, 5, 1 << 30);
            worker.frame(0, 0, new byte[0]); // a few bytes of it; the rest never comes, and the input stays open
            worker.flush();
            // Before: the worker kept reading, its buffer growing with the bytes, waiting for the gibibyte.
            assertTrue(worker.awaitExit(30), "the worker still waits for a frame it cannot hold");
            assertNotEquals(0, worker.exitValue(), "a refused peer is a failure");
            String stderr = worker.stderr();
            assertTrue(stderr.contains("1073741824") && stderr.contains("heap"), stderr);
        }
    }
}
