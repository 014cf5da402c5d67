package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jexecnet.internal.server.SocketServer;

/**
 * A socket server in a JVM of its own, started as a user would ({@code java -cp <jexecnet>
 * org.jexecnet.internal.Main socketserver ...}), with its log (stdout and stderr) kept for tests to read.
 */
public final class SocketServerProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer log = new StringBuffer();
    private final CompletableFuture<String> listening = new CompletableFuture<>();

    private SocketServerProcess(Process process) {
        this.process = process;
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.append(line).append('\n');
                    int at = line.indexOf("listening on ");
                    if (at >= 0) {
                        listening.complete(line.substring(at + 13).split(" ")[0]);
                    }
                }
            } catch (Exception e) {
                // the server ended
            }
            listening.complete(null);
        }, "socketserver-log");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts a server with these arguments after {@code socketserver} and these environment variables. */
    public static SocketServerProcess start(Map<String, String> env, String... args) throws Exception {
        String classes = Path.of(SocketServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes, "org.jexecnet.internal.Main", "socketserver"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JEXECNET_SECRET");
        builder.environment().putAll(env);
        return new SocketServerProcess(builder.start());
    }

    /** The {@code host:port} it listens on, once it says so; fails when it ends first. */
    public String address() throws Exception {
        String address = listening.get(30, TimeUnit.SECONDS);
        assertTrue(address != null, "the server did not start: " + log);
        return address;
    }

    public int port() throws Exception {
        String address = address();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    public String log() {
        return log.toString();
    }

    /** Waits (at most 30 s) for the server to log the text; polls the log it writes. */
    public void awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!log.toString().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "the server never logged '" + text + "': " + log);
            Thread.sleep(10);
        }
    }

    /** Waits for a server that refused to start to exit; returns its status. */
    public int awaitExit(Duration within) throws InterruptedException {
        assertTrue(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS), "the server still runs: " + log);
        listening.join();
        return process.exitValue();
    }

    public Process process() {
        return process;
    }

    /** SIGTERM: its shutdown hook kills the workers it still has. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server did not stop");
    }
}
