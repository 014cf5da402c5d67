package org.jexecnet.junit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jexecnet.junit.internal.remote.CacheRoot;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The JUnit Platform launcher for test class paths that lack one (a project's tests usually bring their
 * engine, not the launcher): this master's own launcher classes, taken from wherever they are (their
 * jar, a fat jar such as the command line's, a classes directory) into a jar of their own in the cache,
 * named by its hash. Its entries have fixed times and order, so the same classes give the same jar, and
 * an ssh host that has it already is sent nothing.
 */
final class LauncherJar {
    private LauncherJar() {}

    private static final String PACKAGE = "org/junit/platform/launcher/";
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static volatile Path built;

    /** The jar, built once per master JVM and kept in the cache. */
    static Path get() {
        Path jar = built;
        if (jar == null) {
            synchronized (LauncherJar.class) {
                jar = built;
                if (jar == null) {
                    jar = build();
                    built = jar;
                }
            }
        }
        return jar;
    }

    /** Whether a class path entry holds a launcher of its own. */
    static boolean isIn(Path entry) {
        String launcher = PACKAGE + "core/LauncherFactory.class";
        if (Files.isDirectory(entry)) {
            return Files.isRegularFile(entry.resolve(launcher));
        }
        try (ZipFile zip = new ZipFile(entry.toFile())) {
            return zip.getEntry(launcher) != null;
        } catch (IOException notAJar) {
            return false;
        }
    }

    private static Path build() {
        Path source;
        try {
            source = Path.of(LauncherFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the JUnit Platform launcher's classes to give the workers: " + e, e);
        }
        try {
            byte[] bytes = zip(Files.isDirectory(source) ? fromDirectory(source) : fromJar(source));
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            Path jar = CacheRoot.here().resolve("launcher").resolve("junit-platform-launcher-" + hash.substring(0, 16) + ".jar");
            if (!Files.isRegularFile(jar)) {
                Files.createDirectories(jar.getParent());
                Path temp = jar.resolveSibling(jar.getFileName() + "." + ProcessHandle.current().pid() + ".part");
                Files.write(temp, bytes);
                Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return jar;
        } catch (IOException | UncheckedIOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot pack the JUnit Platform launcher from " + source + " for the workers: " + e, e);
        }
    }

    private static Map<String, byte[]> fromDirectory(Path root) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root.resolve(PACKAGE))) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(path)) {
                    entries.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
                }
            }
        }
        return entries;
    }

    private static Map<String, byte[]> fromJar(Path jar) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                if (entry.getName().startsWith(PACKAGE) && !entry.isDirectory()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        entries.put(entry.getName(), in.readAllBytes());
                    }
                }
            }
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 * 1024);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ZipEntry zipEntry = new ZipEntry(entry.getKey());
                zipEntry.setTimeLocal(ZIP_EPOCH); // no build time in the bytes: the same classes, the same hash
                zip.putNextEntry(zipEntry);
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
