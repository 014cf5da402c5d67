package org.jexecnet.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RSync;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * execnet's testing/test_rsync.py, translated, on its two module-scoped popen gateways gw1 and gw2
 * (RSync targets are JVMs: jexecnet's receiving side is Java).
 */
@ExtendWith(Gateways.class)
class ExecnetRSyncTest {
    static Group group;
    static Gateway gw1;
    static Gateway gw2;

    @BeforeAll
    static void gateways() {
        group = new Group("popen//id=gw1", "popen//id=gw2");
        gw1 = group.get("gw1");
        gw2 = group.get("gw2");
    }

    @AfterAll
    static void terminate() {
        group.terminate(Duration.ofSeconds(10));
    }

    @Nested
    class TestRSync {
        Path source;
        Path dest1;
        Path dest2;

        @BeforeEach
        void dirs(@TempDir Path tmp) throws Exception {
            source = Files.createDirectory(tmp.resolve("source"));
            dest1 = Files.createDirectory(tmp.resolve("dest1"));
            dest2 = Files.createDirectory(tmp.resolve("dest2"));
        }

        private static int mode(Path path) throws Exception {
            int mode = 0;
            for (PosixFilePermission p : Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)) {
                mode |= 1 << (8 - p.ordinal());
            }
            return mode;
        }

        private static void chmod(Path path, int mode) throws Exception {
            StringBuilder rwx = new StringBuilder();
            for (int i = 8; i >= 0; i--) {
                rwx.append((mode & (1 << i)) == 0 ? '-' : "rwx".charAt((8 - i) % 3));
            }
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(rwx.toString()));
        }

        @Test
        void test_notargets() {
            RSync rsync = new RSync(source);
            assertThrows(IllegalStateException.class, rsync::send); // execnet: IOError
            assertFalse(rsync.hasTargets()); // execnet: send(raises=False) returns None
        }

        @Test
        void test_dirsync() throws Exception {
            for (String s : List.of("content1", "content2", "content2-a-bit-longer")) {
                Path subdir = Files.createDirectories(source.resolve("subdir"));
                Files.writeString(subdir.resolve("file1"), s);
                RSync rsync = new RSync(source);
                rsync.addTarget(gw1, dest1.toString());
                rsync.addTarget(gw2, dest2.toString());
                rsync.send();
                for (Path dest : List.of(dest1, dest2)) {
                    assertTrue(Files.isDirectory(dest.resolve("subdir")));
                    assertTrue(Files.isRegularFile(dest.resolve("subdir/file1")));
                    assertEquals(s, Files.readString(dest.resolve("subdir/file1")));
                    Files.setLastModifiedTime(dest.resolve("subdir/file1"), FileTime.fromMillis(0));
                }
            }
            Files.delete(source.resolve("subdir/file1"));
            RSync rsync = new RSync(source);
            rsync.addTarget(gw2, dest2.toString());
            rsync.addTarget(gw1, dest1.toString());
            rsync.send();
            assertTrue(Files.isRegularFile(dest1.resolve("subdir/file1")));
            assertTrue(Files.isRegularFile(dest2.resolve("subdir/file1")));
            rsync = new RSync(source);
            rsync.addTarget(gw1, dest1.toString(), RSync.Extras.DELETE);
            rsync.addTarget(gw2, dest2.toString());
            rsync.send();
            assertFalse(Files.exists(dest1.resolve("subdir/file1")));
            assertTrue(Files.exists(dest2.resolve("subdir/file1")));
        }

        @Test
        void test_dirsync_twice() throws Exception {
            Files.createFile(source.resolve("hello"));
            RSync rsync = new RSync(source);
            rsync.addTarget(gw1, dest1.toString());
            rsync.send();
            assertTrue(Files.exists(dest1.resolve("hello")));
            assertThrows(IllegalStateException.class, rsync::send);
            assertFalse(rsync.hasTargets()); // execnet: send(raises=False) returns None
            rsync.addTarget(gw1, dest2.toString());
            rsync.send();
            assertTrue(Files.exists(dest2.resolve("hello")));
            assertThrows(IllegalStateException.class, rsync::send);
            assertFalse(rsync.hasTargets()); // execnet: send(raises=False) returns None
        }

        /** Different on purpose: execnet's RSync prints by default; jexecnet's prints when asked (verbose(out)). */
        @Test
        void test_rsync_default_reporting() throws Exception {
            Files.createFile(source.resolve("hello"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new RSync(source).verbose(new PrintStream(out, true, StandardCharsets.UTF_8)).addTarget(gw1, dest1.toString()).send();
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("hello"), out.toString(StandardCharsets.UTF_8));
        }

        @Test
        void test_rsync_non_verbose() throws Exception {
            Files.createFile(source.resolve("hello"));
            PrintStream stdout = System.out;
            PrintStream stderr = System.err;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                new RSync(source).addTarget(gw1, dest1.toString()).send();
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
            assertEquals("", out.toString(StandardCharsets.UTF_8));
            assertEquals("", err.toString(StandardCharsets.UTF_8));
        }

        @Test
        void test_permissions() throws Exception {
            Path onedir = Files.createDirectory(source.resolve("one"));
            chmod(onedir, 0700);
            Path onefile = Files.createFile(source.resolve("file"));
            chmod(onefile, 0770);
            FileTime onefileMtime = Files.getLastModifiedTime(onefile);

            new RSync(source).addTarget(gw1, dest1.toString()).send();

            Path destdir = dest1.resolve("one");
            Path destfile = dest1.resolve("file");
            assertEquals(0770, mode(destfile));
            assertEquals(0700, mode(destdir));

            // transfer again with changed permissions
            chmod(onedir, 0770);
            chmod(onefile, 0700);
            Files.setLastModifiedTime(onefile, onefileMtime);

            new RSync(source).addTarget(gw1, dest1.toString()).send();

            assertEquals(0700, mode(destfile));
            assertEquals(0770, mode(destdir));
        }

        @Test
        void test_read_only_directories() throws Exception {
            Path sub = Files.createDirectory(source.resolve("sub"));
            Path subsub = Files.createDirectory(sub.resolve("subsub"));
            chmod(sub, 0500);
            chmod(subsub, 0500);
            try {
                // The destination directories should be created with the write permission forced.
                new RSync(source).addTarget(gw1, dest1.toString()).send();
                assertNotEquals(0, mode(dest1.resolve("sub")) & 0700);
                assertNotEquals(0, mode(dest1.resolve("sub/subsub")) & 0700);
            } finally {
                chmod(subsub, 0700);
                chmod(sub, 0700); // so that the temporary directory can be deleted
            }
        }

        @Test
        void test_symlink_rsync() throws Exception {
            Path subdir = Files.createDirectory(source.resolve("subdir"));
            Path sourcefile = Files.createFile(subdir.resolve("existent"));
            Files.createSymbolicLink(source.resolve("rellink"), source.relativize(sourcefile));
            Files.createSymbolicLink(source.resolve("abslink"), sourcefile);

            new RSync(source).addTarget(gw1, dest1.toString()).send();

            assertEquals(Path.of("subdir/existent"), Files.readSymbolicLink(dest1.resolve("rellink")));
            assertEquals(dest1.resolve(source.relativize(sourcefile)), Files.readSymbolicLink(dest1.resolve("abslink")));
        }

        @Test
        void test_symlink2_rsync() throws Exception {
            Path subdir = Files.createDirectory(source.resolve("subdir"));
            Path sourcefile = Files.createFile(subdir.resolve("somefile"));
            Files.createSymbolicLink(subdir.resolve("link1"), subdir.relativize(subdir.resolve("link2")));
            Files.createSymbolicLink(subdir.resolve("link2"), sourcefile);
            Files.createSymbolicLink(subdir.resolve("link3"), source.getParent());
            new RSync(source).addTarget(gw1, dest1.toString()).send();
            Path expected = dest1.resolve(source.relativize(sourcefile));
            Path destsub = dest1.resolve("subdir");
            assertTrue(Files.exists(destsub));
            assertEquals(Path.of("link2"), Files.readSymbolicLink(destsub.resolve("link1")));
            assertEquals(expected, Files.readSymbolicLink(destsub.resolve("link2")));
            assertEquals(source.getParent(), Files.readSymbolicLink(destsub.resolve("link3")));
        }

        /** execnet's callback(cmd, length, channel) is the Listener: ("list", total) is listed(), ("ack", size) is transferred(). */
        @Test
        void test_callback() throws Exception {
            Files.writeString(source.resolve("existent"), "a".repeat(100));
            Files.writeString(source.resolve("existant2"), "a".repeat(10));
            Set<List<Object>> total = ConcurrentHashMap.newKeySet();
            RSync rsync = new RSync(source).listener(new RSync.Listener() {
                @Override
                public void listed(Gateway target, int files, long bytes) {
                    total.add(List.of("list", bytes));
                }

                @Override
                public void transferred(Gateway target, String path, long bytes) {
                    total.add(List.of("ack", bytes));
                }
            });
            rsync.addTarget(gw1, dest1.toString());
            rsync.send();
            assertEquals(Set.of(List.of("list", 110L), List.of("ack", 100L), List.of("ack", 10L)), total);
        }

        @Test
        void test_file_disappearing() throws Exception {
            Files.writeString(source.resolve("ex"), "a".repeat(100));
            Files.writeString(source.resolve("ex2"), "a".repeat(100));
            boolean[] x = new boolean[1];
            RSync rsync = new RSync(source).filter(path -> {
                assertNotEquals(source, path);
                if (path.toString().endsWith("ex2")) {
                    x[0] = true;
                    try {
                        Files.delete(source.resolve("ex2"));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return true;
            });
            rsync.addTarget(gw1, dest1.toString());
            rsync.send();
            assertTrue(x[0]);
            try (Stream<Path> destFiles = Files.list(dest1); Stream<Path> sourceFiles = Files.list(source)) {
                assertEquals(1, destFiles.count());
                assertEquals(1, sourceFiles.count());
            }
        }
    }
}
