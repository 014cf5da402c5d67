package org.jexecnet.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jexecnet.ExecnetException;

/**
 * jexecnet's own classes as one jar, which a bootstrap ships to a host that has nothing but a JVM.
 *
 * <p>Built from wherever the master loads jexecnet (its jar, a fat jar that bundles it, or a classes
 * directory), keeping only {@code org/jexecnet/} and {@code module-info.class}, with fixed entry times
 * and order: the same classes give the same bytes, so the hash that names a host's cached copy stays
 * the same across masters and runs.
 */
record OwnJar(byte[] bytes, String sha256) {
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static volatile OwnJar cached;
    private static final Map<Path, CompletableFuture<Path>> LOCAL_COPIES = new ConcurrentHashMap<>();

    /** The jar, built once per master JVM. */
    static OwnJar get() {
        OwnJar jar = cached;
        if (jar == null) {
            synchronized (OwnJar.class) {
                jar = cached;
                if (jar == null) {
                    jar = build(Path.of(Popen.ownClassPath()));
                    cached = jar;
                }
            }
        }
        return jar;
    }

    /**
     * jexecnet's classes as a jar in the archive directory, for the popen workers of a master that runs
     * from a classes directory: class-data archives hold classes from jars only. Made once per master and
     * directory ({@link #makeLocalCopy}); an existing copy with the same bytes is kept as it is, since
     * archives know its time.
     *
     * @return the jar, or null until it is made, and when it cannot be
     */
    static Path localCopy(Path directory) {
        CompletableFuture<Path> copy = LOCAL_COPIES.get(directory);
        return copy == null ? null : copy.getNow(null);
    }

    /** Starts making the {@link #localCopy} on a thread of its own, unless it is made or being made. Returns at once. */
    static void makeLocalCopy(Path directory) {
        LOCAL_COPIES.computeIfAbsent(directory, dir -> {
            CompletableFuture<Path> making = new CompletableFuture<>();
            Thread maker = new Thread(() -> making.complete(writeLocalCopy(dir)), "jexecnet-pack-classes");
            maker.setDaemon(true);
            maker.start();
            return making;
        });
    }

    private static Path writeLocalCopy(Path directory) {
        try {
            OwnJar jar = get();
            Path file = directory.resolve("jexecnet-" + jar.sha256() + ".jar");
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), jar.bytes())) {
                return file;
            }
            Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".part");
            Files.write(temp, jar.bytes());
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException | RuntimeException e) {
            return null; // workers go on running from the directory, without an archive
        }
    }

    static OwnJar build(Path source) {
        try {
            byte[] bytes = zip(Files.isDirectory(source) ? fromDirectory(source) : fromJar(source));
            return new OwnJar(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ExecnetException("cannot pack jexecnet's classes from " + source + " to ship them: " + e, e);
        }
    }

    private static boolean wanted(String name) {
        return name.startsWith("org/jexecnet/") && !name.endsWith("/") || name.equals("module-info.class");
    }

    private static Map<String, byte[]> fromDirectory(Path root) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String name = root.relativize(path).toString().replace('\\', '/');
                if (Files.isRegularFile(path) && wanted(name)) {
                    entries.put(name, Files.readAllBytes(path));
                }
            }
        }
        return entries;
    }

    private static Map<String, byte[]> fromJar(Path jar) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                if (wanted(entry.getName())) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        entries.put(entry.getName(), in.readAllBytes());
                    }
                }
            }
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        if (!entries.containsKey("org/jexecnet/internal/worker/WorkerMain.class")) {
            throw new IOException("it has no org/jexecnet/internal/worker/WorkerMain.class");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ZipEntry zipEntry = new ZipEntry(entry.getKey());
                zipEntry.setTimeLocal(ZIP_EPOCH); // no build time or time zone in the bytes
                zip.putNextEntry(zipEntry);
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
