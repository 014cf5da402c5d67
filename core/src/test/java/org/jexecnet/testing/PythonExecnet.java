package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs real Python execnet (src/test/python/execnet_peer.py) for the compatibility tests. A missing
 * interpreter or execnet fails the test: the compatibility claim is not to be skipped quietly.
 */
public final class PythonExecnet {
    private PythonExecnet() {}

    private static final Path SCRIPT = Path.of("src/test/python/execnet_peer.py");

    /** The interpreter that has execnet: the {@code execnet.python} property, else Debian's. */
    public static String interpreter() {
        return System.getProperty("execnet.python", "/usr/bin/python3");
    }

    /**
     * Sends frames to the peer script and returns the frames it writes back.
     *
     * @param timeout the bound on the whole exchange; the process is killed past it
     * @param input frames for its stdin
     * @param args the script's arguments
     */
    public static List<byte[]> exchange(Duration timeout, List<byte[]> input, String... args) throws Exception {
        requireExecnet();
        List<String> command = new ArrayList<>(List.of(interpreter(), SCRIPT.toString()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("execnet-peer", ".err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeFrames(process.getOutputStream(), input));
            CompletableFuture<List<byte[]>> reader = CompletableFuture.supplyAsync(() -> readFrames(process.getInputStream()));
            List<byte[]> output = reader.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            writer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                fail("execnet_peer.py " + String.join(" ", args) + " failed: " + Files.readString(stderr));
            }
            return output;
        } catch (TimeoutException e) {
            fail("execnet_peer.py " + String.join(" ", args) + " did not finish within " + timeout
                    + "; its stderr: " + Files.readString(stderr));
            throw e;
        } catch (ExecutionException e) {
            fail("talking to execnet_peer.py failed: " + e.getCause() + "; its stderr: " + Files.readString(stderr));
            throw e;
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(stderr);
        }
    }

    private static void requireExecnet() throws Exception {
        Process probe;
        try {
            probe = new ProcessBuilder(interpreter(), "-c", "import execnet").redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("no Python at " + interpreter() + " (" + e.getMessage()
                    + "): install Debian's python3-execnet, as the README's test command does");
            return;
        }
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            probe.destroyForcibly();
            fail(interpreter() + " cannot import execnet: install Debian's python3-execnet, as the README's"
                    + " test command does. Python said: " + output.strip());
        }
    }

    private static void writeFrames(OutputStream stream, List<byte[]> frames) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream))) {
            for (byte[] frame : frames) {
                out.writeInt(frame.length);
                out.write(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> readFrames(InputStream stream) {
        List<byte[]> frames = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(stream))) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return frames;
                }
                byte[] frame = new byte[length];
                in.readFully(frame);
                frames.add(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
