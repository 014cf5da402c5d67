package org.jexecnet.internal.archive;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.jexecnet.XSpec;
import org.jexecnet.internal.code.CacheDir;
import org.jexecnet.internal.debug.Trace;

/**
 * The class-data archive or AOT cache for popen workers of one configuration: a JVM installation,
 * jexecnet's jar, and the options that shape what the JVM loads. A master makes it by itself, in the
 * background, from a real gateway session (see the gateway layer's {@code ArchiveTrainer}); every later
 * worker of that configuration starts from it.
 *
 * <p>Files, in the archive directory ({@link #directory(XSpec)}): the archive, named
 * {@code worker-<feature>-<configuration>-<jar>.<jsa|aot>}, and beside it a manifest
 * ({@code .manifest}) with the full key, the size and the CRC-32C of the archive, written after the
 * archive is in place. An archive is used only when its manifest names this key and its size is the
 * manifest's; its CRC is checked once per master while the first worker using it starts, and a
 * mismatch there discards it. (A truncated class-data archive crashes a Java 17 JVM as it maps it,
 * and the JVM checks no CRC by default.) The JVM's own checks (its version, the jar's time and size,
 * the options) come on top: what it says about an archive it refuses makes that archive go too.
 * A discarded archive is made again.
 */
public final class WorkerArchive {
    /** The spec key, system property and environment variable that turn archives off or put them elsewhere. */
    public static final String SPEC_KEY = "archive";
    public static final String PROPERTY = "jexecnet.archive";
    public static final String ENVIRONMENT = "JEXECNET_ARCHIVE";
    /** The value that turns them off; {@code auto} keeps the default place; anything else is a directory. */
    public static final String OFF = "off";
    public static final String AUTO = "auto";

    /**
     * Options that mean the user manages class-data sharing or AOT caches: then jexecnet stays out. The
     * JVM refuses {@code -XX:AOTCache} beside {@code -Xshare} options, and two archives do not mix.
     */
    private static final List<String> USER_MANAGED = List.of("-Xshare", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit",
            "-XX:+AutoCreateSharedArchive", "-XX:AOT", "-XX:SharedClassListFile", "-XX:DumpLoadedClassList", "-XX:-UseSharedSpaces",
            "-XX:+RecordDynamicDumpInfo");

    /** What the key's text says first: a change to how archives are made changes it, and older archives are not used. */
    private static final String FORMAT = "jexecnet-worker-archive/2";
    /** Archives whose CRC was found right in this master, by their size and time: checked once, not at every start. */
    private static final Map<Path, String> CHECKED = new ConcurrentHashMap<>();
    /** Archive directories found (or made) private to this user: the JVM maps what is in them as its own code. */
    private static final Map<Path, Boolean> PRIVATE_DIRECTORIES = new ConcurrentHashMap<>();
    /** Jars' identities by their size and time: a jar is read once per master. */
    private static final Map<String, String> JAR_IDENTITIES = new ConcurrentHashMap<>();

    private final JvmInstall jvm;
    private final ArchiveKind kind;
    private final Path file;
    private final String key;
    private final List<String> flags;
    private final String classPath;

    private WorkerArchive(JvmInstall jvm, Path file, String key, List<String> flags, String classPath) {
        this.jvm = jvm;
        this.kind = jvm.archiveKind();
        this.file = file;
        this.key = key;
        this.flags = List.copyOf(flags);
        this.classPath = classPath;
    }

    /**
     * The archive for workers started with these options, made or still to make; null when archives are
     * off for the spec, when the options manage archives themselves, or when the JVM or the class path
     * allow none (a JVM older than 17, a program that is no JVM's launcher, classes in a directory).
     *
     * @param java the program that starts the worker
     * @param flags every option before the class path: jexecnet's, the program's own words after its
     *     name, {@code jvmargs=}, and what the environment adds ({@code JAVA_TOOL_OPTIONS})
     * @param classPath jexecnet's jar, which the archive was made with; entries {@code classpath=} adds come after it
     */
    public static WorkerArchive find(XSpec spec, String java, List<String> flags, String classPath) {
        Path directory = directory(spec);
        if (directory == null || !classPath.endsWith(".jar") || userManaged(flags)
                || !isPrivate(directory)) {
            return null;
        }
        JvmInstall jvm = JvmInstall.of(java);
        if (jvm == null || jvm.archiveKind() == null) {
            return null;
        }
        String jar = jarIdentity(Path.of(classPath));
        if (jar == null) {
            return null;
        }
        String configuration = FORMAT + " " + jvm.archiveKind() + "\n" + jvm.identity() + "\n" + classPath + "\n" + String.join("\n", flags);
        String name = "worker-" + jvm.feature() + "-" + crcHex(configuration.getBytes(StandardCharsets.UTF_8)) + "-"
                + jar.substring(jar.lastIndexOf(' ') + 1) + "." + jvm.archiveKind().extension();
        return new WorkerArchive(jvm, directory.resolve(name), configuration + "\n" + jar, flags, classPath);
    }

    private static boolean managesSharing(String flag) {
        return USER_MANAGED.stream().anyMatch(flag::startsWith);
    }

    /** Whether the options take care of class-data sharing or AOT caches themselves: then no archive is made or used. */
    public static boolean userManaged(List<String> flags) {
        return flags.stream().anyMatch(WorkerArchive::managesSharing);
    }

    /**
     * The part of a remote worker archive's name that the master knows: a CRC of the options and of
     * jexecnet's jar. The host adds what it knows of its JVM (see the ssh bootstrap).
     */
    public static String remoteConfiguration(List<String> flags, String jarSha256) {
        return crcHex((String.join("\n", flags) + "\n" + jarSha256).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where archives go for a spec: its {@code archive=}, else the {@code jexecnet.archive} system
     * property, else the {@code JEXECNET_ARCHIVE} environment variable; {@code off} turns them off,
     * {@code auto} (the default) means {@code archives} in jexecnet's cache directory, anything else is a
     * directory of one's choice.
     *
     * @return the directory, or null when archives are off
     */
    public static Path directory(XSpec spec) {
        String setting = spec.get(SPEC_KEY);
        if (setting == null) {
            setting = System.getProperty(PROPERTY);
        }
        if (setting == null) {
            setting = System.getenv(ENVIRONMENT);
        }
        setting = setting == null ? AUTO : setting.strip();
        if (setting.equals(OFF)) {
            return null;
        }
        return setting.equals(AUTO) || setting.isEmpty() ? CacheDir.resolve("archives") : Path.of(setting);
    }

    /**
     * Whether the directory is this user's and nobody else can write to it; made so when missing. A JVM
     * takes an archive as trusted code, so archives in a directory others could write to are not used.
     * Found once per master and directory.
     */
    public static boolean isPrivate(Path directory) {
        return PRIVATE_DIRECTORIES.computeIfAbsent(directory, WorkerArchive::checkPrivate);
    }

    private static boolean checkPrivate(Path directory) {
        try {
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory.getParent());
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> permissions = attributes.permissions();
            boolean private_ = attributes.isDirectory() && attributes.owner().getName().equals(System.getProperty("user.name"))
                    && !permissions.contains(PosixFilePermission.GROUP_WRITE) && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
            if (!private_) {
                System.err.println("jexecnet: not using worker archives in " + directory + ": it must be a directory of this user's"
                        + " that others cannot write to (chmod go-w), since a JVM runs what an archive holds");
            }
            return private_;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // an archive directory that cannot be made or checked: workers start without archives
        }
    }

    /** The jar's path, size, time and CRC-32C, which name the archive's files: null when it cannot be read. */
    private static String jarIdentity(Path jar) {
        String stamp = JvmInstall.stamp(jar);
        if (stamp.equals("-")) {
            return null;
        }
        return JAR_IDENTITIES.computeIfAbsent(jar + " " + stamp, identity -> {
            try (InputStream in = new FileInputStream(jar.toFile())) {
                return identity + " " + crcHex(in);
            } catch (IOException e) {
                return null;
            }
        });
    }

    public ArchiveKind kind() {
        return kind;
    }

    public JvmInstall jvm() {
        return jvm;
    }

    public Path file() {
        return file;
    }

    /** The options the archive was made for, which a training run and the create step repeat. */
    public List<String> flags() {
        return flags;
    }

    public String classPath() {
        return classPath;
    }

    private Path manifest() {
        return file.resolveSibling(file.getFileName() + ".manifest");
    }

    /** Where a run that failed to make this archive left a note, so that it is not tried again at once. */
    public Path failureNote() {
        return file.resolveSibling(file.getFileName() + ".failed");
    }

    /**
     * Whether the archive is there and whole as far as can be told without reading it: its manifest names
     * this key and its size. An archive whose manifest disagrees is discarded.
     */
    public boolean present() {
        Properties manifest = readManifest();
        if (manifest == null) {
            return false; // none yet, or one is being put in place
        }
        if (!key.equals(manifest.getProperty("key"))) {
            discard("its manifest names another configuration");
            return false;
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return false;
        }
        if (!String.valueOf(size).equals(manifest.getProperty("size"))) {
            discard("it has " + size + " bytes, its manifest says " + manifest.getProperty("size"));
            return false;
        }
        return true;
    }

    /**
     * Checks the archive's CRC-32C against its manifest, once per master and archive: reading 1 to 20 MB
     * costs milliseconds, so callers do it while the first worker starts. A mismatch discards it.
     *
     * @return whether the archive is whole
     */
    public boolean checkContents() {
        String stamp = JvmInstall.stamp(file);
        if (stamp.equals(CHECKED.get(file))) {
            return true;
        }
        Properties manifest = readManifest();
        String crc;
        try (InputStream in = new FileInputStream(file.toFile())) {
            crc = crcHex(in);
        } catch (IOException e) {
            return false;
        }
        if (manifest == null || !crc.equals(manifest.getProperty("crc32c"))) {
            discard("its CRC-32C is " + crc + ", its manifest says " + (manifest == null ? "nothing" : manifest.getProperty("crc32c")));
            return false;
        }
        CHECKED.put(file, stamp);
        return true;
    }

    /** The options that make a worker start from the archive. */
    public List<String> useFlags() {
        return kind.useFlags(file);
    }

    /** Whether a worker's start-up output says its JVM refused the archive; the JVM then ran without it. */
    public static boolean refusedIn(String stderr) {
        return ArchiveKind.COMPLAINT.matcher(stderr).find();
    }

    /** The start-up output without the JVM's complaints about an archive, which are jexecnet's business, not the user's. */
    public static String withoutComplaints(String stderr) {
        return ArchiveKind.COMPLAINT.matcher(stderr).replaceAll("");
    }

    /** Deletes the archive and its manifest, which the next start finds missing and has made again. */
    public void discard(String why) {
        if (Trace.ON) {
            Trace.log("discarding worker archive " + file + ": " + why);
        }
        CHECKED.remove(file);
        try {
            Files.deleteIfExists(manifest());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next one who finds it wrong
        }
    }

    /** A file beside the archive for one run of one master, which {@link #install} or the training's cleanup removes. */
    public Path temporary(String suffix) {
        return file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()) + suffix);
    }

    /**
     * Puts a newly made archive in place: the archive first, then its manifest, so that nobody takes an
     * archive before it is whole. Archives of the same JVM, options and jar path made from older jars go.
     */
    public void install(Path made) throws IOException {
        Properties manifest = new Properties();
        manifest.setProperty("key", key);
        manifest.setProperty("size", String.valueOf(Files.size(made)));
        try (InputStream in = new FileInputStream(made.toFile())) {
            manifest.setProperty("crc32c", crcHex(in));
        }
        Path manifestTemp = temporary(".manifest");
        try (OutputStream out = new FileOutputStream(manifestTemp.toFile())) {
            manifest.store(out, "jexecnet worker archive: the key, size and CRC-32C of " + file.getFileName());
        }
        Files.deleteIfExists(manifest());
        Files.move(made, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(manifestTemp, manifest(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(failureNote());
        removeOlderJars();
    }

    /** Removes archives of this configuration made from other jars at the same path: a rebuilt jar leaves one each. */
    private void removeOlderJars() {
        String name = file.getFileName().toString();
        String configuration = name.substring(0, name.lastIndexOf('-') + 1);
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.getParent(), configuration + "*")) {
            for (Path sibling : siblings) {
                if (!sibling.getFileName().toString().startsWith(name)) {
                    Files.deleteIfExists(sibling);
                }
            }
        } catch (IOException e) {
            // tidying up only
        }
    }

    private Properties readManifest() {
        try (InputStream in = new FileInputStream(manifest().toFile())) {
            Properties manifest = new Properties();
            manifest.load(in);
            return manifest;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String crcHex(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return hex(crc);
    }

    private static String crcHex(InputStream in) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[256 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            crc.update(buffer, 0, n);
        }
        return hex(crc);
    }

    /** Eight hex digits (not String.format, whose Formatter a master's first start would load for it). */
    private static String hex(CRC32C crc) {
        return Long.toHexString(crc.getValue() | 1L << 32).substring(1);
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
