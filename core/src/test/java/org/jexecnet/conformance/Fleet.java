package org.jexecnet.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.jexecnet.Group;
import org.jexecnet.testing.PythonExecnet;
import org.jexecnet.testing.SshServer;

/**
 * One gateway of every {@link Kind}, as execnet's session-scoped {@code group} fixture holds them,
 * with the gateways they go through: {@code sproxy1} for the socket one, {@code proxy-transport} for
 * the via one, and a private sshd for the ssh one. Ids are execnet's.
 */
final class Fleet implements AutoCloseable {
    private final Path dir;
    private final SshServer sshd;
    private final Group group;
    private final Map<Kind, Gw> gateways = new EnumMap<>(Kind.class);

    private Fleet(Path dir, SshServer sshd, Group group) {
        this.dir = dir;
        this.sshd = sshd;
        this.group = group;
        gateways.put(Kind.POPEN, new Gw(Kind.POPEN, group.get("popen"), group));
        gateways.put(Kind.SOCKET, new Gw(Kind.SOCKET, group.get("socket"), group));
        gateways.put(Kind.VIA, new Gw(Kind.VIA, group.get("proxy"), group));
        gateways.put(Kind.SSH, new Gw(Kind.SSH, group.get("ssh"), group));
        gateways.put(Kind.PYTHON, new Gw(Kind.PYTHON, group.get("python"), group));
    }

    /** Starts them all: those that others go through first, side by side, then the others, side by side. */
    static Fleet start() throws Exception {
        Path dir = Files.createTempDirectory("jexecnet-conformance");
        SshServer sshd = null;
        Group group = null;
        try {
            sshd = SshServer.start(dir);
            group = new Group(List.of("popen//id=popen", "popen//id=sproxy1", "popen//id=proxy-transport",
                    "ssh=" + sshd.target() + "//id=ssh//env:JEXECNET_CACHE=" + dir.resolve("cache"),
                    "popen//python=" + PythonExecnet.interpreter() + "//id=python"));
            Group started = group;
            CompletableFuture<?> socket = CompletableFuture.runAsync(() -> started.makeGateway("socket//id=socket//installvia=sproxy1"));
            CompletableFuture<?> via = CompletableFuture.runAsync(() -> started.makeGateway("popen//via=proxy-transport//id=proxy"));
            CompletableFuture.allOf(socket, via).join();
            return new Fleet(dir, sshd, group);
        } catch (Exception | Error e) {
            if (group != null) {
                group.terminate(Duration.ofSeconds(5));
            }
            if (sshd != null) {
                sshd.close();
            }
            delete(dir);
            throw e;
        }
    }

    Gw get(Kind kind) {
        return gateways.get(kind);
    }

    /** Terminates every gateway (execnet's {@code group.terminate(timeout=1)}, bounded here at 5 s), then sshd. */
    @Override
    public void close() throws IOException {
        try {
            group.terminate(Duration.ofSeconds(5));
        } finally {
            sshd.close();
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
