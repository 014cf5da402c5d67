package org.jexecnet.testing;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jexecnet.ExecModel;
import org.jexecnet.internal.worker.WorkerMain;
import org.jexecnet.internal.worker.WorkerSession;

/**
 * A worker JVM driven by hand, frame by frame, as a hostile or broken master would: the test writes
 * raw frames to its protocol input and reads what it answers. Its stderr goes to a file.
 */
public final class RawWorker implements AutoCloseable {
    private final Process process;
    private final DataOutputStream out;
    private final Path stderr;

    private RawWorker(Process process, Path stderr) {
        this.process = process;
        this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        this.stderr = stderr;
    }

    /** Starts a worker with these JVM options and waits for its ready byte. */
    public static RawWorker start(Path dir, String name, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>&2",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                dir.resolve("files-" + name).toString()));
        Path stderr = dir.resolve(name + ".stderr");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        RawWorker worker = new RawWorker(process, stderr);
        // the session comes first on the worker's input: no heartbeat and no window, as a bare master's
        try {
            process.getOutputStream().write(new WorkerSession(name, ExecModel.THREAD, 0, 0).encode());
            process.getOutputStream().flush();
        } catch (IOException e) {
            worker.close();
            throw e;
        }
        if (process.getInputStream().read() != WorkerMain.READY) {
            worker.close();
            throw new IOException("the worker did not say it was ready: " + worker.stderr());
        }
        return worker;
    }

    /** Writes one frame's header and payload (buffered: see {@link #flush}). */
    public void frame(int code, int channelId, byte[] payload) throws IOException {
        out.writeByte(code);
        out.writeInt(channelId);
        out.writeInt(payload.length);
        out.write(payload);
    }

    /** Writes a header that announces {@code length} payload bytes, and nothing of the payload. */
    public void header(int code, int channelId, int length) throws IOException {
        out.writeByte(code);
        out.writeInt(channelId);
        out.writeInt(length);
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** What the worker writes: frames for a FrameReader. */
    public InputStream in() {
        return process.getInputStream();
    }

    public boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    public int exitValue() {
        return process.exitValue();
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
