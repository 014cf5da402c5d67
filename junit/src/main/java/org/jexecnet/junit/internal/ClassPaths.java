package org.jexecnet.junit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jexecnet.Gateway;
import org.jexecnet.RSync;
import org.jexecnet.XSpec;
import org.jexecnet.junit.internal.remote.CacheRoot;

/**
 * The test class path as each worker sees it. A local worker ({@code popen} without {@code via=}) reads
 * the master's files where they are. Any other gets a copy in its host's cache, through RSync: jars
 * under the SHA-256 of their content ({@code classpath/jars/HASH.jar}), so that two projects, or two
 * runs, share one copy and an unchanged jar is never sent again; directories (classes compiled by the
 * build) each to a place of their own ({@code classpath/dirs/KEY}, the key made from the master's path),
 * where RSync sends only the files that changed and removes those the build removed. The master stages
 * its jars under their hash (a hard link, else a copy) to send them from one directory. One host is
 * synced once per run, however many workers it has.
 */
final class ClassPaths {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * A worker's class path.
     *
     * @param paths the entries, on the worker's host
     * @param files how many files were shipped there for it; -1 for a local worker, which is shipped nothing
     * @param bytes how many bytes travelled for them
     */
    record Placed(List<String> paths, int files, long bytes) {}

    private final List<Path> entries;
    private final Map<String, List<String>> synced = new ConcurrentHashMap<>();
    private final Map<String, Object> hostLocks = new ConcurrentHashMap<>();

    /** @param entries the master's class path, absolute, every entry existing */
    ClassPaths(List<Path> entries) {
        this.entries = List.copyOf(entries);
    }

    List<Path> entries() {
        return entries;
    }

    static boolean isLocal(XSpec spec) {
        return "popen".equals(spec.type()) && spec.via() == null;
    }

    /** The class path on the gateway's host, shipped there first when the host is not this one. */
    Placed forWorker(Gateway gateway) {
        if (isLocal(gateway.spec())) {
            return new Placed(entries.stream().map(Path::toString).toList(), -1, 0);
        }
        String host = host(gateway.spec());
        synchronized (hostLocks.computeIfAbsent(host, h -> new Object())) {
            List<String> known = synced.get(host);
            if (known != null) {
                return new Placed(known, 0, 0);
            }
            Placed placed = ship(gateway);
            synced.put(host, placed.paths());
            return placed;
        }
    }

    /** What tells hosts apart: the spec without its id, since gateways of one spec reach one host. */
    private static String host(XSpec spec) {
        return String.join("//", List.of(spec.toString().split("//")).stream().filter(s -> !s.startsWith("id=")).toList());
    }

    private Placed ship(Gateway gateway) {
        String root = gateway.remoteExec(CacheRoot::send).receive(String.class, PROBE_TIMEOUT);
        AtomicInteger files = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        RSync.Listener counting = new RSync.Listener() {
            @Override
            public void transferred(Gateway target, String path, long sent) {
                files.incrementAndGet();
                bytes.addAndGet(sent);
            }
        };
        Path staging = CacheRoot.here().resolve("staging");
        List<String> paths = new ArrayList<>();
        Set<String> jars = ConcurrentHashMap.newKeySet();
        try {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    String dir = root + "/classpath/dirs/" + directoryKey(entry);
                    new RSync(entry).listener(counting).addTarget(gateway, dir, RSync.Extras.DELETE).send();
                    paths.add(dir);
                } else {
                    String name = stage(entry, staging);
                    jars.add(name);
                    paths.add(root + "/classpath/jars/" + name);
                }
            }
            if (!jars.isEmpty()) {
                new RSync(staging).filter(path -> jars.contains(path.getFileName().toString())).listener(counting)
                        .addTarget(gateway, root + "/classpath/jars").send();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the class path to send it to " + gateway.id() + ": " + e.getMessage(), e);
        }
        return new Placed(List.copyOf(paths), files.get(), bytes.get());
    }

    /** Puts a jar in the staging directory under its content's hash, unless it is there; answers that name. */
    private static String stage(Path jar, Path staging) throws IOException {
        String name = sha256(jar) + ".jar";
        Path staged = staging.resolve(name);
        if (!Files.isRegularFile(staged)) {
            Files.createDirectories(staging);
            try {
                Files.createLink(staged, jar);
            } catch (FileAlreadyExistsException raced) {
                // another run staged it meanwhile
            } catch (IOException | UnsupportedOperationException otherFileSystem) {
                Path temp = staging.resolve(name + "." + ProcessHandle.current().pid() + ".part");
                Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(temp, staged, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return name;
    }

    /** A directory's place in a host's cache: its name, for people, and a hash of the master's path, to keep it apart. */
    private static String directoryKey(Path dir) {
        byte[] path = dir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        String name = dir.getFileName() == null ? "root" : dir.getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "_");
        return name + "-" + HexFormat.of().formatHex(digest().digest(path)).substring(0, 16);
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
