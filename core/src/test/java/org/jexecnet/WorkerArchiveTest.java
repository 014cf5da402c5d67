package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.jexecnet.internal.gateway.ArchiveTrainer;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archives and AOT caches the master makes for its workers by itself: made in the
 * background, used by later starts, and never in the way of a start when they are corrupt, stale or
 * refused. Each test has an archive directory of its own ({@code archive=}).
 */
@ExtendWith(NoLeftoverWorkers.class)
class WorkerArchiveTest {
    private static final Duration T = Duration.ofSeconds(30);
    /** Training runs on a loaded machine, an AOT cache's second step included. */
    static final Duration TRAINING = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    /**
     * Makes gateways of the spec until its configuration has an archive, letting the background
     * training finish between them (the first start may run from a classes directory, which is packed
     * into a jar for the next), and returns the archive.
     */
    static Path awaitArchive(Group group, String spec, Path archives, String extension) throws Exception {
        long deadline = System.nanoTime() + TRAINING.toNanos();
        while (true) {
            try (Gateway gw = group.makeGateway(spec)) {
                assertEquals(1, gw.remoteExec("channel.send(1);").receive(T));
            }
            assertTrue(ArchiveTrainer.awaitIdle(TRAINING), "training took more than " + TRAINING);
            Path archive = archiveIn(archives, extension);
            if (archive != null) {
                return archive;
            }
            assertTrue(System.nanoTime() < deadline, "no archive after " + TRAINING + "; the directory has " + list(archives));
        }
    }

    /** The archive in the directory that has its manifest beside it, or null. */
    static Path archiveIn(Path archives, String extension) throws IOException {
        try (Stream<Path> files = Files.list(archives)) {
            return files.filter(f -> f.getFileName().toString().endsWith("." + extension))
                    .filter(f -> Files.exists(f.resolveSibling(f.getFileName() + ".manifest"))).findFirst().orElse(null);
        }
    }

    private static List<String> list(Path archives) throws IOException {
        try (Stream<Path> files = Files.list(archives)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theMasterMakesAnArchiveByItselfAndLaterWorkersStartFromIt() throws Exception {
        String spec = "popen//archive=" + dir;
        try (Group group = new Group()) {
            Path archive = awaitArchive(group, spec, dir, "jsa");
            Gateway gw = group.makeGateway(spec);
            assertEquals(List.of(archive.toString()), Processes.mappedArchives(gw));
            Channel channel = gw.remoteExec("channel.send(channel.<Integer>receive() + 1);");
            channel.send(41);
            assertEquals(42, channel.receive(T));
            Gateway without = group.makeGateway("popen//archive=off//id=plain");
            assertEquals(List.of(), Processes.mappedArchives(without), "archive=off starts without one");
        }
    }

    @Test
    void onJava24AndLaterItIsAnAotCache() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(GatewayTest.OTHER_JDK)), "no second JDK at " + GatewayTest.OTHER_JDK);
        String spec = "popen//java=" + GatewayTest.OTHER_JDK + "//archive=" + dir;
        try (Group group = new Group()) {
            Path cache = awaitArchive(group, spec, dir, "aot");
            Gateway gw = group.makeGateway(spec);
            assertEquals(List.of(cache.toString()), Processes.mappedArchives(gw));
            int feature = gw.remoteExec(ch -> ch.send(Runtime.version().feature())).receive(Integer.class, T);
            assertTrue(feature >= 24, "an AOT cache needs Java 24 or newer, this worker runs " + feature);
        }
    }

    @Test
    void aCorruptArchiveStillGivesAWorkingGatewayAndIsMadeAgain() throws Exception {
        String spec = "popen//archive=" + dir;
        try (Group group = new Group()) {
            Path archive = awaitArchive(group, spec, dir, "jsa");
            Files.setPosixFilePermissions(archive, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
                file.seek(file.length() / 2);
                file.write(new byte[4096]); // same size: only its CRC tells
            }
            Gateway gw = group.makeGateway(spec);
            assertEquals(1, gw.remoteExec("channel.send(1);").receive(T));
            assertEquals(List.of(), Processes.mappedArchives(gw), "started without the corrupt archive");
            gw.close();
            assertTrue(ArchiveTrainer.awaitIdle(TRAINING));
            Path again = archiveIn(dir, "jsa");
            assertNotNull(again, "made again: " + list(dir));
            try (Gateway fromAgain = group.makeGateway(spec)) {
                assertEquals(List.of(again.toString()), Processes.mappedArchives(fromAgain));
            }

            // Cut short, as a full disk would leave it: a Java 17 JVM would crash mapping it, so it must not get it. (No
            // worker may have it mapped meanwhile: cutting a mapped file short kills that worker with SIGBUS.)
            try (RandomAccessFile file = new RandomAccessFile(again.toFile(), "rw")) {
                file.setLength(file.length() / 3);
            }
            Gateway afterTruncation = group.makeGateway(spec);
            assertEquals(1, afterTruncation.remoteExec("channel.send(1);").receive(T));
            assertEquals(List.of(), Processes.mappedArchives(afterTruncation));
        }
    }

    @Test
    void anArchiveTheJvmRefusesIsDiscardedAndWhatTheJvmSaidIsNotShown() throws Exception {
        String spec = "popen//archive=" + dir;
        try (Group group = new Group()) {
            Path archive = awaitArchive(group, spec, dir, "jsa");
            Properties manifest = makeStale(archive);

            ByteArrayOutputStream shown = new ByteArrayOutputStream();
            PrintStream stderr = System.err;
            Gateway gw;
            System.setErr(new PrintStream(shown, true, StandardCharsets.UTF_8));
            try {
                gw = group.makeGateway(spec);
                assertEquals(1, gw.remoteExec("channel.send(1);").receive(T));
            } finally {
                System.setErr(stderr);
            }
            assertFalse(shown.toString(StandardCharsets.UTF_8).contains("[cds"), shown.toString(StandardCharsets.UTF_8));
            assertEquals(List.of(), Processes.mappedArchives(gw), "the JVM started without the archive it refused");
            assertTrue(ArchiveTrainer.awaitIdle(TRAINING));
            Path again = archiveIn(dir, "jsa");
            assertNotNull(again, "made again for the jar as it is now: " + list(dir));
            assertNotEquals(manifest.getProperty("crc32c"), readProperty(again, "crc32c"), "a new archive");
            assertEquals(List.of(again.toString()), Processes.mappedArchives(group.makeGateway(spec)));
        }
    }

    /**
     * Makes the archive one that only the JVM can tell is stale: the jar it was made with changes its time, and
     * its manifest is forged for the new time, which gets it past jexecnet's own checks.
     *
     * @return the manifest as it was
     */
    static Properties makeStale(Path archive) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(archive.getParent())) {
            jar = files.filter(f -> f.getFileName().toString().matches("jexecnet-[0-9a-f]{64}\\.jar")).findFirst().orElseThrow();
        }
        long before = Files.getLastModifiedTime(jar).toMillis();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(before - 60_000));
        Path manifestFile = archive.resolveSibling(archive.getFileName() + ".manifest");
        Properties manifest = new Properties();
        try (InputStream in = new FileInputStream(manifestFile.toFile())) {
            manifest.load(in);
        }
        String key = manifest.getProperty("key");
        assertTrue(key.contains("@" + before + " "), key);
        Properties forged = new Properties();
        forged.putAll(manifest);
        forged.setProperty("key", key.replace("@" + before + " ", "@" + (before - 60_000) + " "));
        try (OutputStream out = new FileOutputStream(manifestFile.toFile())) {
            forged.store(out, null);
        }
        return manifest;
    }

    private static String readProperty(Path archive, String name) throws IOException {
        Properties manifest = new Properties();
        try (InputStream in = new FileInputStream(archive.resolveSibling(archive.getFileName() + ".manifest").toFile())) {
            manifest.load(in);
        }
        return manifest.getProperty(name);
    }

    @Test
    void anArchiveDirectoryMustBeAbsoluteOffOrAuto() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XSpec.parse("popen//archive=relative/dir"));
        assertTrue(e.getMessage().contains("archive=relative/dir is neither off, auto nor an absolute directory"), e.getMessage());
        assertEquals("off", XSpec.parse("popen//archive=off").get("archive"));
        assertEquals("auto", XSpec.parse("popen//archive=auto").get("archive"));
    }
}
