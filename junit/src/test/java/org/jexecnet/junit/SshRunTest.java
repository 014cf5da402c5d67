package org.jexecnet.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.jexecnet.Group;
import org.jexecnet.testing.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Workers on an ssh host (a private sshd on loopback, with a cache directory of its own): the class path
 * reaches the host by RSync into its content-addressed cache, once per host, and a run after it ships
 * nothing that did not change.
 */
@Timeout(180)
class SshRunTest {
    private static final String FIXTURE = "org.jexecnet.junit.fixture.";

    @TempDir
    static Path dir;
    private static SshServer sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = SshServer.start(Files.createDirectories(dir.resolve("sshd")));
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close(); // fails when a worker is left running under it
        }
    }

    @Test
    void theClassPathIsShippedOncePerHostAndThenOnlyWhatChanged() throws Exception {
        Path classes = copy(Fixture.classes(), dir.resolve("classes"));
        Path hostCache = dir.resolve("host-cache");
        String spec = "ssh=" + sshd.target() + "//env:JEXECNET_CACHE=" + hostCache;
        DistributedTests tests = DistributedTests.builder().classPath(Fixture.classPath(classes))
                .selectClasses(List.of(FIXTURE + "PassingTest", FIXTURE + "FailingTest", FIXTURE + "SlowTest")).build();

        Recorder first = new Recorder();
        try (Group group = new Group(spec, spec)) {
            TestExecutionSummary summary = tests.newBuilder().progress(first).build().run(group).summaries().get("load");
            assertEquals(13, summary.getTestsFoundCount());
            assertEquals(3, summary.getTestsFailedCount());
            assertEquals(2, first.finished.stream().map(Recorder.Finished::worker).distinct().count(), "both ssh workers ran tests");
        }
        assertEquals(2, first.shipped.size(), first.shipped.toString());
        int files = first.shipped.stream().mapToInt(Recorder.Shipped::files).sum();
        assertEquals(1, first.shipped.stream().filter(s -> s.files() > 0).count(), "one host, shipped once: " + first.shipped);
        int fixtureFiles = (int) count(classes);
        assertEquals(fixtureFiles + Fixture.classPath().size() - 1 + 1, files, "the classes, the jars, and the launcher jar: " + first.shipped);
        try (Stream<Path> jars = Files.list(hostCache.resolve("junit/classpath/jars"))) {
            assertTrue(jars.allMatch(jar -> jar.getFileName().toString().matches("[0-9a-f]{64}\\.jar")), "jars are named by their content's hash");
        }

        Recorder second = new Recorder();
        try (Group group = new Group(spec)) {
            assertEquals(3, tests.newBuilder().progress(second).build().run(group).totalFailureCount());
        }
        assertEquals(List.of(new Recorder.Shipped("gw0", 0, 0)), second.shipped, "nothing changed, nothing shipped");

        Files.writeString(classes.resolve("org/jexecnet/junit/fixture/added.txt"), "a resource the build added\n");
        Recorder third = new Recorder();
        try (Group group = new Group(spec)) {
            tests.newBuilder().progress(third).build().run(group);
        }
        assertEquals(1, third.shipped.get(0).files(), "only the added file: " + third.shipped);
        assertEquals(27, third.shipped.get(0).bytes());
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).count();
        }
    }
}
