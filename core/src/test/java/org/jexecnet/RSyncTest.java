package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jexecnet.internal.gateway.MasterGateway;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.Processes;
import org.jexecnet.testing.PythonExecnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** execnet's test_rsync.py checklist, and what jexecnet adds: atomic files, chunks, deltas. */
@ExtendWith(NoLeftoverWorkers.class)
class RSyncTest {
    private static Group group;
    private static Gateway gw1;
    private static Gateway gw2;

    @TempDir
    Path dir;
    private Path source;
    private Path dest1;
    private Path dest2;

    @BeforeAll
    static void start() {
        group = new Group("popen//id=r1", "popen//id=r2");
        gw1 = group.get("r1");
        gw2 = group.get("r2");
    }

    @AfterAll
    static void stop() {
        group.terminate(Duration.ofSeconds(10));
    }

    @BeforeEach
    void paths() throws IOException {
        source = Files.createDirectories(dir.resolve("source"));
        dest1 = dir.resolve("dest1");
        dest2 = dir.resolve("dest2");
    }

    private static String read(Path path) throws IOException {
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void withoutTargetsSendRaisesAndHasTargetsSaysSo() {
        RSync rsync = new RSync(source);
        assertFalse(rsync.hasTargets());
        IllegalStateException e = assertThrows(IllegalStateException.class, rsync::send);
        assertTrue(e.getMessage().contains("has no targets: add one with addTarget"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RSync(dir.resolve("missing")));
    }

    @Test
    void twoTargetsFollowContentChangesAndOnlyTheDeletingOneLosesWhatTheSourceLost() throws IOException {
        Path file = Files.createDirectories(source.resolve("subdir")).resolve("file1");
        for (String content : List.of("hello", "hello world", "other")) {
            Files.writeString(file, content);
            new RSync(source).addTarget(gw1, dest1.toString()).addTarget(gw2, dest2.toString(), RSync.Extras.DELETE).send();
            assertEquals(content, read(dest1.resolve("subdir/file1")));
            assertEquals(content, read(dest2.resolve("subdir/file1")));
        }
        Files.delete(file);
        new RSync(source).addTarget(gw1, dest1.toString()).addTarget(gw2, dest2.toString(), RSync.Extras.DELETE).send();
        assertTrue(Files.exists(dest1.resolve("subdir/file1")), "kept without delete");
        assertFalse(Files.exists(dest2.resolve("subdir/file1")), "removed with delete");
        assertTrue(Files.isDirectory(dest2.resolve("subdir")));
    }

    @Test
    void aTargetThatFailsWhileTheListingIsStillSentSaysWhy(@TempDir Path dir) throws IOException {
        // Four batches of listing: the target refuses the destination as soon as it starts, so (on most runs) it is
        // gone while the walk still sends; either way the error is its own, not a send to a closed channel.
        for (int i = 0; i < 2_000; i++) {
            Files.writeString(source.resolve("f" + i), "x");
        }
        Path file = Files.writeString(dir.resolve("a-file"), "mine");
        RemoteException e = assertThrows(RemoteException.class, () -> new RSync(source).addTarget(gw1, file.toString()).send());
        assertTrue(e.remoteTrace().startsWith("java.io.IOException: the destination " + file + " is a file, not a directory"), e.remoteTrace());
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void aSecondSendNeedsNewTargets() throws IOException {
        Files.writeString(source.resolve("f"), "x");
        RSync rsync = new RSync(source).addTarget(gw1, dest1.toString());
        rsync.send();
        assertThrows(IllegalStateException.class, rsync::send);
        rsync.addTarget(gw2, dest2.toString());
        rsync.send();
        assertEquals("x", read(dest2.resolve("f")));
    }

    @Test
    void verboseNamesEachFileAndQuietPrintsNothing() throws IOException {
        Files.writeString(Files.createDirectories(source.resolve("subdir")).resolve("file1"), "content");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RSync(source).verbose(new PrintStream(out, true, StandardCharsets.UTF_8)).addTarget(gw1, dest1.toString()).send();
        assertEquals(gw1 + " <= subdir/file1\n", out.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(quiet, true, StandardCharsets.UTF_8));
        try {
            Files.writeString(source.resolve("subdir/file1"), "changed");
            new RSync(source).addTarget(gw1, dest1.toString()).send();
        } finally {
            System.setOut(saved);
        }
        assertEquals("", quiet.toString(StandardCharsets.UTF_8));
    }

    @Test
    void permissionsAndTimesTravelAndAModeOnlyChangeApplies() throws IOException {
        Path sub = Files.createDirectories(source.resolve("subdir"));
        Path file = Files.writeString(sub.resolve("file1"), "x");
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrwx---"));
        new RSync(source).addTarget(gw1, dest1.toString()).send();
        assertEquals("rwx------", mode(dest1.resolve("subdir")));
        assertEquals("rwxrwx---", mode(dest1.resolve("subdir/file1")));
        assertEquals(Files.getLastModifiedTime(file).to(TimeUnit.MICROSECONDS),
                Files.getLastModifiedTime(dest1.resolve("subdir/file1")).to(TimeUnit.MICROSECONDS));
        FileTime time = Files.getLastModifiedTime(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(file, time);
        List<String> transferred = Collections.synchronizedList(new ArrayList<>());
        new RSync(source).listener(new RSync.Listener() {
            @Override
            public void transferred(Gateway target, String path, long bytes) {
                transferred.add(path);
            }
        }).addTarget(gw1, dest1.toString()).send();
        assertEquals("rw-------", mode(dest1.resolve("subdir/file1")));
        assertEquals("rwxr-x---", mode(dest1.resolve("subdir")));
        assertEquals(List.of(), transferred, "a mode change alone sends no file");
    }

    @Test
    void readOnlySourceDirectoriesArriveWithOwnerRwx() throws IOException {
        Path sub = Files.createDirectories(source.resolve("readonly"));
        Files.writeString(sub.resolve("f"), "x");
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("r-x------"));
        try {
            new RSync(source).addTarget(gw1, dest1.toString()).send();
            assertEquals("rwx------", mode(dest1.resolve("readonly")));
            assertEquals("x", read(dest1.resolve("readonly/f")));
        } finally {
            Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void symbolicLinksAreReRootedWhenAbsoluteIntoTheTreeAndKeptOtherwise() throws IOException {
        Path sub = Files.createDirectories(source.resolve("subdir"));
        Files.writeString(sub.resolve("existent"), "x");
        Files.createSymbolicLink(source.resolve("rellink"), Path.of("subdir/existent"));
        Files.createSymbolicLink(source.resolve("abslink"), sub.resolve("existent").toAbsolutePath());
        Files.createSymbolicLink(source.resolve("link2"), Path.of("subdir/existent"));
        Files.createSymbolicLink(source.resolve("link1"), Path.of("link2"));
        Files.createSymbolicLink(source.resolve("outside"), source.getParent());
        new RSync(source).addTarget(gw1, dest1.toString()).send();
        assertEquals(Path.of("subdir/existent"), Files.readSymbolicLink(dest1.resolve("rellink")));
        assertEquals(dest1.resolve("subdir/existent").toAbsolutePath(), Files.readSymbolicLink(dest1.resolve("abslink")));
        assertEquals(Path.of("link2"), Files.readSymbolicLink(dest1.resolve("link1")));
        assertEquals("x", read(dest1.resolve("link1")));
        assertEquals(source.getParent(), Files.readSymbolicLink(dest1.resolve("outside")));
    }

    @Test
    void theListenerHearsTheListingAndEachFile() throws IOException {
        Path sub = Files.createDirectories(source.resolve("subdir"));
        Files.write(sub.resolve("file1"), new byte[100]);
        Files.write(source.resolve("file2"), new byte[10]);
        Set<String> events = ConcurrentHashMap.newKeySet();
        new RSync(source).listener(new RSync.Listener() {
            @Override
            public void listed(Gateway target, int files, long bytes) {
                events.add("list " + files + " " + bytes);
            }

            @Override
            public void transferred(Gateway target, String path, long bytes) {
                events.add("ack " + path + " " + bytes);
            }
        }).addTarget(gw1, dest1.toString()).send();
        assertEquals(Set.of("list 2 110", "ack subdir/file1 100", "ack file2 10"), events);
    }

    @Test
    void aFileRemovedDuringTheWalkIsNotCreated() throws IOException {
        Files.writeString(source.resolve("vanishing"), "x");
        Files.writeString(source.resolve("staying"), "y");
        new RSync(source).filter(path -> {
            if (path.getFileName().toString().equals("vanishing")) {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return true;
        }).addTarget(gw1, dest1.toString()).send();
        assertFalse(Files.exists(dest1.resolve("vanishing")));
        assertEquals("y", read(dest1.resolve("staying")));
    }

    @Test
    void specialFilesAreRefusedByNameUnlessFilteredOut() throws Exception {
        Path fifo = source.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        Files.writeString(source.resolve("plain"), "z");
        RSync rsync = new RSync(source).addTarget(gw1, dest1.toString());
        ExecnetException e = assertThrows(ExecnetException.class, rsync::send);
        assertTrue(e.getMessage().contains(fifo + ": it is a fifo"), e.getMessage());
        assertFalse(Files.exists(dest1), "nothing was written: the walk failed before its first batch went out");
        rsync.filter(path -> !path.equals(fifo)).send(); // the target stays added
        assertEquals("z", read(dest1.resolve("plain")));
    }

    @Test
    void aLargeFileThatChangedInPartTravelsAsADelta() throws IOException {
        byte[] content = new byte[20 << 20];
        new Random(42).nextBytes(content);
        Path big = Files.write(source.resolve("big.bin"), content);
        new RSync(source).addTarget(gw1, dest1.toString()).send();
        byte[] changed = new byte[1 << 20];
        new Random(7).nextBytes(changed);
        System.arraycopy(changed, 0, content, 9 << 20, changed.length); // 1 MiB in the middle
        byte[] inserted = new byte[content.length + 1000];
        System.arraycopy(content, 0, inserted, 0, 5 << 20);
        System.arraycopy(content, 5 << 20, inserted, (5 << 20) + 1000, content.length - (5 << 20)); // and 1000 bytes inserted
        Files.write(big, inserted);
        long[] sent = {0};
        new RSync(source).listener(new RSync.Listener() {
            @Override
            public void transferred(Gateway target, String path, long bytes) {
                sent[0] = bytes;
            }
        }).addTarget(gw1, dest1.toString()).send();
        assertArrayEquals(inserted, Files.readAllBytes(dest1.resolve("big.bin")));
        assertTrue(sent[0] >= (1 << 20) && sent[0] < (3 << 20) / 2, "literal bytes of the delta: " + sent[0]);
    }

    @Test
    void aTouchedFileCostsAHashNotATransfer() throws IOException {
        Path file = Files.write(source.resolve("f"), new byte[5000]);
        new RSync(source).addTarget(gw1, dest1.toString()).send();
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L));
        List<Long> bytes = new ArrayList<>();
        new RSync(source).listener(new RSync.Listener() {
            @Override
            public void transferred(Gateway target, String path, long sent) {
                bytes.add(sent);
            }
        }).addTarget(gw1, dest1.toString()).send();
        assertEquals(List.of(), bytes, "only touched: its time is set, nothing travels, the listener hears nothing");
        assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(dest1.resolve("f")).toMillis());
    }

    @Test
    void anInterruptedTransferLeavesTheOldFileWhole() throws Exception {
        Files.writeString(Files.createDirectories(dest1).resolve("big.bin"), "the old content");
        byte[] content = new byte[64 << 20];
        new Random(1).nextBytes(content);
        Files.write(source.resolve("big.bin"), content);
        try (Group own = new Group("popen//id=doomed")) {
            Gateway doomed = own.get("doomed");
            RSync rsync = new RSync(source).listener(new RSync.Listener() {
                @Override
                public void progress(Gateway target, String path, long done, long total) {
                    if (done >= (8 << 20)) {
                        ((MasterGateway) doomed).kill();
                    }
                }
            }).addTarget(doomed, dest1.toString());
            assertThrows(ExecnetException.class, rsync::send);
        }
        assertEquals("the old content", read(dest1.resolve("big.bin")));
        try (Stream<Path> left = Files.list(dest1)) {
            assertTrue(left.allMatch(p -> p.getFileName().toString().equals("big.bin") || p.getFileName().toString().endsWith(".tmp")));
        }
        new RSync(source).addTarget(gw1, dest1.toString()).send(); // a later sync replaces it and its leftover
        assertArrayEquals(content, Files.readAllBytes(dest1.resolve("big.bin")));
        assertEquals(List.of(), temporaries(dest1), "the killed transfer's temporary file is gone");
    }

    @Test
    void pythonGatewaysAreRefusedAsTargets() throws IOException {
        Files.writeString(source.resolve("f"), "x");
        try (Group python = new Group("popen//python=" + PythonExecnet.interpreter())) {
            RSync rsync = new RSync(source).addTarget(python.get(0), dest1.toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, rsync::send);
            assertTrue(e.getMessage().contains("RSync targets JVM gateways"), e.getMessage());
        }
    }

    private static List<String> temporaries(Path directory) throws IOException {
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".tmp")).toList();
        }
    }

    /** Waits until gw1 runs nothing: its Receiver has ended. */
    private static void awaitReceiverEnded() {
        Processes.awaitIdle(gw1, Duration.ofSeconds(30), "the target's receiver never ended");
    }

    /** A listener that cuts the file to {@code size} bytes when the first of it has gone out. */
    private static RSync.Listener truncatingOnFirstProgress(Path file, long size) {
        boolean[] cut = {false};
        return new RSync.Listener() {
            @Override
            public void progress(Gateway target, String path, long done, long total) {
                if (!cut[0]) {
                    cut[0] = true;
                    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                        channel.truncate(size);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        };
    }

    @Test
    void aDestinationThatIsALinkToADirectoryIsThatDirectory() throws IOException {
        Files.writeString(source.resolve("f"), "x");
        Path real = Files.createDirectories(dir.resolve("releases/1"));
        Files.createSymbolicLink(dest1, real);
        new RSync(source).addTarget(gw1, dest1.toString()).send();
        assertEquals("x", read(real.resolve("f")));
        assertTrue(Files.isSymbolicLink(dest1));
    }

    @Test
    void aDeltaThatDoesNotRebuildFailsAndLeavesNoTemporary() throws IOException {
        byte[] content = new byte[4 << 20];
        new Random(1).nextBytes(content);
        Path big = Files.write(source.resolve("big.bin"), content);
        new RSync(source).addTarget(gw1, dest1.toString()).send();
        content[100] ^= 1;
        Files.write(big, content);
        RSync rsync = new RSync(source).listener(new RSync.Listener() {
            @Override
            public void listed(Gateway target, int files, long bytes) {
                try { // the target's old copy changes after its signature was taken
                    Files.write(dest1.resolve("big.bin"), new byte[4 << 20]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }).addTarget(gw1, dest1.toString());
        RemoteException e = assertThrows(RemoteException.class, rsync::send);
        assertTrue(e.getMessage().contains("did not rebuild the source's file"), e.getMessage());
        assertEquals(List.of(), temporaries(dest1));
    }

    @Test
    void aSourceTruncatedDuringADeltaIsAnError() throws Exception {
        byte[] content = new byte[16 << 20];
        new Random(2).nextBytes(content);
        Path big = Files.write(source.resolve("big.bin"), content);
        new RSync(source).addTarget(gw1, dest1.toString()).send();
        new Random(3).nextBytes(content);
        Files.write(big, content);
        RSync rsync = new RSync(source).listener(truncatingOnFirstProgress(big, 0)).addTarget(gw1, dest1.toString());
        assertThrows(ExecnetException.class, rsync::send);
        awaitReceiverEnded();
        assertEquals(List.of(), temporaries(dest1));
    }

    @Test
    void aSourceThatShrinksDuringAWholeSendStopsTheTargetToo() throws Exception {
        Path big = Files.write(source.resolve("big.bin"), new byte[8 << 20]);
        RSync rsync = new RSync(source).listener(truncatingOnFirstProgress(big, 1 << 20)).addTarget(gw1, dest1.toString());
        ExecnetException e = assertThrows(ExecnetException.class, rsync::send);
        assertTrue(e.getMessage().contains("shrank while it was being sent"), e.getMessage());
        awaitReceiverEnded(); // the target was told, and gave up, without waiting for what would not come
        assertEquals(List.of(), temporaries(dest1));
    }

    @Test
    void aTargetThatCannotStartStopsTheOthersAndAllStayAdded() throws IOException {
        Files.writeString(source.resolve("f"), "x");
        try (Group python = new Group("popen//python=" + PythonExecnet.interpreter())) {
            RSync rsync = new RSync(source).addTarget(gw1, dest1.toString()).addTarget(python.get(0), dest2.toString());
            assertThrows(IllegalArgumentException.class, rsync::send);
            awaitReceiverEnded();
            assertThrows(IllegalArgumentException.class, rsync::send, "the targets stayed added");
        }
    }

    @Test
    void verboseNamesOnlyFilesWhoseContentTravelled() throws IOException {
        Path file = Files.writeString(source.resolve("f"), "x");
        new RSync(source).addTarget(gw1, dest1.toString()).send();
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RSync(source).verbose(new PrintStream(out, true, StandardCharsets.UTF_8)).addTarget(gw1, dest1.toString()).send();
        assertEquals("", out.toString(StandardCharsets.UTF_8), "as execnet, only files whose data went out");
    }

    @Test
    void aSetgidDirectoryKeepsItsWholeMode() throws IOException {
        Path shared = Files.createDirectories(source.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 02775);
        new RSync(source).addTarget(gw1, dest1.toString()).send();
        assertEquals(02775, (Integer) Files.getAttribute(dest1.resolve("shared"), "unix:mode") & 07777);
    }
}
