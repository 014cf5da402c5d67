package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.StringUtils;
import org.jexecnet.internal.code.ExecRequest;
import org.jexecnet.internal.worker.WorkerMain;
import org.jexecnet.remote.LibraryUser;
import org.jexecnet.testing.ForgedExec;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.PlantedJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a worker loads shipped code from, against code planted there: its jar cache, which every later
 * gateway of the user shares (a jar named by the SHA-256 of commons-lang3 but holding a
 * {@code StringUtils} of an attacker's, which writes a marker file when it runs), and its files directory.
 */
@ExtendWith(NoLeftoverWorkers.class)
class JarCacheTest {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The name the master gives commons-lang3: the SHA-256 of the jar's bytes. */
    private static String realHash() throws Exception {
        return sha256(Files.readAllBytes(Path.of(StringUtils.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A jar with an attacker's {@code org.apache.commons.lang3.StringUtils}, whose {@code reverse} writes the marker. */
    private byte[] plantedJar(Path marker) throws IOException {
        return PlantedJar.of(dir, StringUtils.class.getName(), "public static String reverse(String s) { MARK; return \"planted\"; }", marker);
    }

    /** A gateway with this cache runs a library of the master's: the real one, not what was planted. */
    private static void aLaterGatewayRunsTheRealLibrary(Path cache, Path marker) {
        try (Group group = new Group("popen//id=victim//env:JEXECNET_CACHE=" + cache)) {
            Channel channel = group.get(0).remoteExec(LibraryUser.class);
            channel.send("jexecnet");
            assertEquals(List.of("tencexej", "Jexecnet", "{1,2}"), channel.receive(T));
            assertTrue(channel.receive(String.class, T).startsWith("file:" + cache.resolve("jars")), "from the cache");
        }
        assertFalse(Files.exists(marker), "the planted code ran");
    }

    @Test
    void aJarWhoseBytesDoNotHashToItsNameIsRefusedAndNeverCached() throws Exception {
        Path cache = dir.resolve("cache");
        Path marker = dir.resolve("planted-code-ran");
        String hash = realHash();
        try (Group group = new Group("popen//id=forger//env:JEXECNET_CACHE=" + cache)) {
            Channel forged = ForgedExec.send(group.get(0), new ExecRequest(StringUtils.class.getName(), "reverse", null, List.of(),
                    Map.of(), Map.of(hash, plantedJar(marker)), Map.of(), null));
            RemoteException refused = assertThrows(RemoteException.class, () -> forged.waitClose(T));
            assertTrue(refused.getMessage().contains("refusing jar " + hash + ": its"), refused.getMessage());
            assertTrue(refused.getMessage().contains("not to its name; nothing was stored"), refused.getMessage());
        }
        assertFalse(Files.exists(cache.resolve("jars").resolve(hash + ".jar")), "the forged jar reached the cache");
        aLaterGatewayRunsTheRealLibrary(cache, marker);
    }

    @Test
    void aFilesDirectorySomeoneElseCouldHavePreparedIsRefused() throws Exception {
        Path prepared = Files.createDirectory(dir.resolve("prepared"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(prepared, PosixFilePermissions.fromString("rwxrwxrwx")); // past the umask
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process worker = new ProcessBuilder("sh", "-c", "exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>&2", java, "-cp",
                System.getProperty("java.class.path"), WorkerMain.class.getName(), "prepared", "thread", prepared.toString()).start();
        try {
            String stderr = new String(worker.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
            assertEquals(WorkerMain.CANNOT_START, worker.exitValue(), stderr);
            assertTrue(stderr.contains(prepared + " is not a directory of this user's that only it can use; refusing to load classes"
                    + " from it"), stderr);
        } finally {
            worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPoisonedCachedJarIsRefusedReplacedAndReported() throws Exception {
        Path cache = dir.resolve("cache");
        Path marker = dir.resolve("planted-code-ran");
        String hash = realHash();
        Path cached = Files.createDirectories(cache.resolve("jars")).resolve(hash + ".jar");
        Files.write(cached, plantedJar(marker)); // planted before: by an older jexecnet, or by hand
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8)); // the worker's stderr passes through this JVM's
        try {
            aLaterGatewayRunsTheRealLibrary(cache, marker);
        } finally {
            System.setErr(original);
        }
        String said = stderr.toString(StandardCharsets.UTF_8);
        original.print(said);
        assertTrue(said.contains("the cached jar " + cached + " does not match its SHA-256"), said);
        assertTrue(said.contains("it is replaced by the master's copy"), said);
        assertEquals(hash, sha256(Files.readAllBytes(cached)), "replaced by the real jar");
    }
}
