package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jexecnet.DataFormatException;
import org.jexecnet.ExecModel;
import org.jexecnet.Tuple;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.worker.WorkerMain;
import org.jexecnet.internal.worker.WorkerSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated frame streams fed to the protocol engine and to a real worker JVM: receiving ends
 * with a clear error, never a hang, an OutOfMemoryError or a crash of anything but the connection.
 */
class FrameFuzzTest {

    /** A stream a peer might really send: status requests, data of all kinds, closes, a reconfigure. */
    private static byte[] validStream(Random random) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(sink, "fuzz");
        writer.write(Frame.STATUS, 1, Frame.EMPTY);
        writer.write(Frame.RECONFIGURE, 0, Dumper.dumpPayload(Tuple.of(true, false), null));
        for (int i = 0; i < 8; i++) {
            int channel = 1 + 2 * random.nextInt(4);
            Object value = switch (random.nextInt(4)) {
                case 0 -> random.nextInt();
                case 1 -> "text " + random.nextLong();
                case 2 -> List.of(1, Map.of("k", Tuple.of(2.5, new byte[5])));
                default -> new byte[random.nextInt(200_000)];
            };
            writer.write(Frame.CHANNEL_DATA, channel, Dumper.dumpPayload(value, null));
        }
        writer.write(Frame.CHANNEL_CLOSE, 3, Frame.EMPTY);
        writer.write(Frame.CHANNEL_CLOSE_ERROR, 5, Dumper.dumpPayload("an error", null));
        writer.close();
        return sink.toByteArray();
    }

    /** The stream with a few bytes flipped, cut, or a header's length made huge. */
    private static byte[] mutated(byte[] stream, Random random) {
        byte[] copy = stream.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> copy = java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
            case 2 -> { // a length prefix of the first header claims up to 2 GiB
                copy[5] = (byte) random.nextInt(128);
                copy[6] = (byte) random.nextInt(256);
            }
            default -> {
                copy = new byte[random.nextInt(4096)];
                random.nextBytes(copy);
            }
        }
        return copy;
    }

    /** A role that runs nothing: it records what it was asked and how receiving ended. */
    private static final class Recording implements Connection.Role {
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        int executions;

        @Override
        public int firstChannelId() {
            return 2;
        }

        @Override
        public void execute(RealChannel channel, byte[] payload) {
            executions++;
            channel.closeHere("execution disallowed in the fuzz test");
        }

        @Override
        public Map<String, Object> status(int openChannels) {
            return Map.of("numchannels", openChannels, "numexecuting", 0, "execmodel", "thread");
        }

        @Override
        public void receivingEnded(Throwable cause) {
            ended.complete(cause);
        }
    }

    @Test
    void theEngineEndsEveryCorruptStreamWithAClearError() throws Exception {
        Random random = new Random(2026);
        for (int round = 0; round < 3000; round++) {
            byte[] stream = round % 10 == 0 ? validStream(random) : mutated(validStream(random), random);
            Recording role = new Recording();
            Connection connection = new Connection("fuzz" + round, role, new ByteArrayInputStream(stream), OutputStream.nullOutputStream());
            connection.startReceiver(Threads.factory(ExecModel.THREAD));
            Throwable cause;
            try {
                cause = role.ended.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("round " + round + ": the receiver did not end on a finished stream");
                return;
            }
            if (cause != null) {
                boolean clear = cause instanceof IOException || cause instanceof DataFormatException;
                assertTrue(clear, "round " + round + ": " + cause);
                assertTrue(cause.getMessage() != null && !cause.getMessage().isBlank(), "round " + round + ": a message says why");
            }
            connection.closeOutput();
        }
    }

    @Test
    void aWorkerJvmFedGarbageEndsAndRunsNothing(@TempDir Path dir) throws Exception {
        Random random = new Random(7);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < 12; round++) {
            Process worker = new ProcessBuilder("sh", "-c", "exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>&2", java, "-cp",
                    System.getProperty("java.class.path"), WorkerMain.class.getName(),
                    dir.resolve("files" + round).toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                worker.getOutputStream().write(new WorkerSession("fuzz" + round, ExecModel.THREAD, 0, 0).encode());
                worker.getOutputStream().flush();
                assertEquals(WorkerMain.READY, worker.getInputStream().read());
                byte[] stream = mutated(validStream(random), random);
                try (OutputStream in = worker.getOutputStream()) {
                    in.write(stream);
                } catch (IOException gone) {
                    // the worker dropped the connection before taking it all: that is a way to end
                }
                assertTrue(worker.waitFor(20, TimeUnit.SECONDS), "round " + round + ": the worker still runs on garbage");
            } finally {
                worker.destroyForcibly();
                worker.waitFor(10, TimeUnit.SECONDS);
            }
        }
        List<Path> left = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.forEach(left::add);
        }
        assertEquals(List.of(), left, "every worker removed its files directory");
    }
}
