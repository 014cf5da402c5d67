package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on a loopback port, with host and client keys made for it, started per test
 * class. As root it gets a private {@code /run} with
 * {@code /run/sshd} through {@code unshare -m}, so nothing on the host changes. It accepts the
 * {@code BASH_ENV} and {@code JEXECNET_CACHE} variables, which tests send with {@code SetEnv} to make
 * the login shell noisy or to give the remote side a cache of its own.
 *
 * <p>Closing it checks that no worker is left running under it, then stops it.
 */
public final class SshServer implements AutoCloseable {
    private static final String SSHD = "/usr/sbin/sshd";

    private final Path dir;
    private final String host;
    private final int port;
    private final Process sshd;
    private final StringBuffer log = new StringBuffer();

    private SshServer(Path dir, String host, int port, Process sshd) {
        this.dir = dir;
        this.host = host;
        this.port = port;
        this.sshd = sshd;
    }

    /** Starts sshd on a free loopback port with fresh keys in {@code dir}; fails (never skips) when OpenSSH is missing. */
    public static SshServer start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        return start(dir, null, "127.0.0.1", port);
    }

    /**
     * Starts sshd in a network namespace (root only), listening on {@code host:port} there. It probes
     * idle clients every 2 seconds, so a session whose client vanished ends once the link works again.
     */
    public static SshServer start(Path dir, String netns, String host, int port) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(SSHD))) {
            fail(SSHD + " is missing: install openssh-server (scripts/test.sh does)");
        }
        keygen(dir.resolve("host_ed25519"));
        keygen(dir.resolve("client_ed25519"));
        keygen(dir.resolve("stranger_ed25519"));
        Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
        List<String> command = new ArrayList<>();
        if (netns != null) {
            command.addAll(List.of("ip", "netns", "exec", netns));
        }
        if (isRoot()) {
            command.addAll(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                    "mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd && exec " + SSHD + " \"$@\"", "sshd"));
        } else {
            command.add(SSHD);
        }
        command.addAll(List.of("-D", "-e", "-f", "/dev/null", "-p", String.valueOf(port), "-h", dir.resolve("host_ed25519").toString(),
                "-o", "ListenAddress=" + host, "-o", "PidFile=none", "-o", "ClientAliveInterval=2", "-o", "StrictModes=no", "-o", "MaxStartups=200",
                "-o", "AuthorizedKeysFile=" + dir.resolve("authorized_keys"), "-o", "AcceptEnv=BASH_ENV JEXECNET_CACHE"));
        Process sshd = new ProcessBuilder(command).redirectErrorStream(true).start();
        SshServer server = new SshServer(dir, host, port, sshd);
        server.awaitListening();
        return server;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        String out = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
            fail("ssh-keygen failed: " + out);
        }
    }

    private void awaitListening() throws InterruptedException {
        CompletableFuture<Boolean> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(sshd.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.append(line).append('\n');
                    if (line.startsWith("Server listening on " + host)) {
                        listening.complete(true);
                    }
                }
            } catch (IOException e) {
                // sshd stopped
            }
            listening.complete(false);
        }, "sshd-log");
        pump.setDaemon(true);
        pump.start();
        try {
            if (!listening.get(30, TimeUnit.SECONDS)) {
                fail("sshd did not start: " + log);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            sshd.destroyForcibly();
            fail("sshd did not start within 30 s: " + log);
        }
    }

    /** The ssh options that log in with the test's client key, without asking or remembering anything. */
    public String options() {
        return options("client_ed25519");
    }

    /** As {@link #options()}, with another of the keys made for the test ({@code stranger_ed25519} is not authorized). */
    public String options(String key) {
        return "-F /dev/null -p " + port + " -i " + dir.resolve(key) + " -o IdentitiesOnly=yes -o BatchMode=yes"
                + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
    }

    /** The {@code ssh=} value that reaches this server as the current user. */
    public String target() {
        return options() + " " + System.getProperty("user.name") + "@" + host;
    }

    public int port() {
        return port;
    }

    public String log() {
        return log.toString();
    }

    /** Worker JVMs running under this sshd. */
    public List<ProcessHandle> workers() {
        return sshd.descendants().filter(p -> p.info().arguments()
                .map(args -> List.of(args).contains("org.jexecnet.internal.worker.WorkerMain")).orElse(false)).toList();
    }

    /** Fails when a worker under this sshd is still running 10 s after the call, then stops sshd. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left = workers();
        for (ProcessHandle worker : left) {
            try {
                worker.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception stillThere) {
                // reported below
            }
        }
        List<ProcessHandle> stuck = workers();
        stuck.forEach(ProcessHandle::destroyForcibly);
        sshd.descendants().forEach(ProcessHandle::destroyForcibly);
        sshd.destroyForcibly();
        try {
            sshd.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!stuck.isEmpty()) {
            fail("workers left running under sshd: " + stuck.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
        }
    }

    /** Writes a file into the server's directory, for tests that need one there. */
    public Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
