package org.jexecnet.internal.archive;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JVM installation a worker runs on, found from the {@code java} program that starts it, and what
 * it can archive: learnt at run time from the {@code release} file every JDK and JRE image since 9 has
 * beside {@code bin/}, without starting it.
 *
 * @param home the installation's directory, symbolic links resolved
 * @param feature the feature release: 17, 21, 25...
 * @param identity what must not change for an archive made with it to stay valid: the version and
 *     vendor the release file names, and the size and time of the JVM library and of its own class-data
 *     archive, which change when the installation is updated in place
 */
public record JvmInstall(Path home, int feature, String identity) {
    /** Found once per program per master: a start must not read files it has read before. */
    private static final Map<String, JvmInstall> FOUND = new ConcurrentHashMap<>();
    private static final JvmInstall NONE = new JvmInstall(Path.of(""), 0, "");

    /** The JVM this master runs on. */
    public static JvmInstall current() {
        JvmInstall install = of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return install != null ? install : NONE;
    }

    /**
     * The installation a {@code java} program belongs to: a path, or a name looked up on the PATH.
     *
     * @return it, or null when the program is not a JVM's own launcher beside a release file (a wrapper
     *     script, say): then nothing is known of it, and nothing is archived for it
     */
    public static JvmInstall of(String program) {
        JvmInstall install = FOUND.computeIfAbsent(program, JvmInstall::find);
        return install == NONE ? null : install;
    }

    private static JvmInstall find(String program) {
        try {
            Path launcher = program.contains("/") ? Path.of(program) : onPath(program);
            if (launcher == null) {
                return NONE;
            }
            Path real = launcher.toRealPath();
            Path bin = real.getParent();
            if (bin == null || bin.getParent() == null || !bin.getFileName().toString().equals("bin")) {
                return NONE;
            }
            Path home = bin.getParent();
            Map<String, String> release = release(home.resolve("release"));
            String version = release.get("JAVA_VERSION");
            if (version == null) {
                return NONE;
            }
            int feature = Integer.parseInt(version.split("[.+-]", 2)[0]);
            String identity = String.join(" ", home.toString(), release.getOrDefault("IMPLEMENTOR", "?"),
                    release.getOrDefault("JAVA_RUNTIME_VERSION", version), stamp(home.resolve("lib/server/libjvm.so")),
                    stamp(home.resolve("lib/server/classes.jsa")));
            return new JvmInstall(home, feature, identity);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The release file's {@code KEY="value"} lines. */
    private static Map<String, String> release(Path file) throws IOException {
        Map<String, String> values = new ConcurrentHashMap<>();
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip().replace("\"", ""));
            }
        }
        return values;
    }

    /** A file's size and modification time, or "-" when it is not there. */
    static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return "-";
        }
    }

    /** The kind of archive this JVM can make and use for a worker, or null for none (before 17 nothing is tried). */
    public ArchiveKind archiveKind() {
        if (feature >= 24) {
            return ArchiveKind.AOT_CACHE;
        }
        return feature >= 17 ? ArchiveKind.CLASS_DATA : null;
    }
}
