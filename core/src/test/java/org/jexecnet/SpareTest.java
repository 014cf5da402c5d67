package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jexecnet.internal.gateway.ArchiveTrainer;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Spare workers: started ahead of need, warm, fresh, taken by matching gateways, ended with their group. */
@ExtendWith(NoLeftoverWorkers.class)
class SpareTest {
    private static final Duration T = Duration.ofSeconds(30);
    /** How long a spare may take to start and warm up on a loaded machine. */
    private static final Duration WARM_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Waits until the group has {@code count} warm spares of the spec. */
    private static void awaitSpares(Group group, String spec, int count) throws InterruptedException {
        assertTrue(group.awaitSpares(spec, count, WARM_WITHIN), count + " spare(s) of '" + spec + "' not warm within " + WARM_WITHIN);
    }

    /** The pids of this JVM's workers that wait as spares. */
    private static List<Long> sparePids() {
        return NoLeftoverWorkers.workers().stream()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains("--spare")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    @Test
    void aMatchingGatewayTakesTheWarmSpareWhichHasRunNoUserCode() throws Exception {
        // Each worker logs the classes it loads, and where from, to a file named by its pid.
        String spec = "popen//jvmargs=-Xlog:class+load:file=" + dir + "/%p.log";
        try (Group group = new Group()) {
            group.prestart(spec, 1);
            awaitSpares(group, spec, 1);
            List<Long> spares = sparePids();
            assertEquals(1, spares.size(), "one spare process: " + spares);
            long spare = spares.get(0);
            String beforeItsGateway = Files.readString(dir.resolve(spare + ".log"), StandardCharsets.UTF_8);
            // It warmed up on jexecnet's own code, and loaded nothing from anywhere else.
            assertTrue(beforeItsGateway.contains("org.jexecnet.internal.worker.WarmUp "), "it warmed up");
            // Nothing from the tests' classes, nothing shipped: only the JDK's classes and jexecnet's own.
            for (String line : beforeItsGateway.lines().toList()) {
                assertFalse(line.contains("test-classes") || line.contains("/jexecnet-spare-") || line.contains("SpareTest"),
                        "loaded before its gateway: " + line);
            }

            Gateway gw = group.makeGateway(spec + "//id=taken//execmodel=main_thread_only");
            Channel channel = gw.remoteExec(ch -> ch.send(List.of(ProcessHandle.current().pid(), ch.gateway().id(),
                    String.valueOf(System.getProperty("jexecnet.test.marker")))));
            List<?> facts = channel.receive(List.class, T);
            assertEquals(spare, ((Number) facts.get(0)).longValue(), "the spare serves the gateway");
            assertEquals(List.of("taken", "null"), facts.subList(1, 3), "named for its gateway, and fresh");
            assertEquals("main_thread_only", gw.remoteStatus(T).execModel(), "the session's execution model, not the spare's");
            // User code changes its worker; the replacement spare, a fresh JVM, knows nothing of it.
            gw.remoteExec(ch -> System.setProperty("jexecnet.test.marker", "dirty")).waitClose(T);
            awaitSpares(group, spec, 1);
            Gateway next = group.makeGateway(spec);
            List<?> after = next.remoteExec(ch -> ch.send(List.of(ProcessHandle.current().pid(),
                    String.valueOf(System.getProperty("jexecnet.test.marker"))))).receive(List.class, T);
            assertNotEquals(spare, ((Number) after.get(0)).longValue());
            assertEquals("null", after.get(1), "a spare shares nothing with the gateways before it");
        }
    }

    @Test
    void aSpareStillWarmsUpWhenTheArchiveIsOneTheJvmRefusesAndTheArchiveIsMadeAgain() throws Exception {
        String spec = "popen//archive=" + dir;
        try (Group group = new Group()) {
            Path archive = WorkerArchiveTest.awaitArchive(group, spec, dir, "jsa");
            WorkerArchiveTest.makeStale(archive);
            ByteArrayOutputStream shown = new ByteArrayOutputStream();
            PrintStream stderr = System.err;
            System.setErr(new PrintStream(shown, true, StandardCharsets.UTF_8)); // what the spares' stderr goes to
            try {
                group.prestart(spec, 1);
                awaitSpares(group, spec, 1);
            } finally {
                System.setErr(stderr);
            }
            assertFalse(shown.toString(StandardCharsets.UTF_8).contains("[cds"), shown.toString(StandardCharsets.UTF_8));
            assertFalse(Files.exists(archive), "the archive the JVM refused is discarded");
            List<Long> spares = sparePids();
            assertEquals(1, spares.size(), "one spare, the one that failed is gone: " + spares);

            Gateway gw = group.makeGateway(spec);
            assertEquals(spares.get(0), gw.remoteExec(ch -> ch.send(ProcessHandle.current().pid())).receive(Long.class, T));
            assertEquals(List.of(), Processes.mappedArchives(gw), "the spare started without the archive");
            assertTrue(ArchiveTrainer.awaitIdle(WorkerArchiveTest.TRAINING));
            assertNotNull(WorkerArchiveTest.archiveIn(dir, "jsa"), "the gateway that took the spare has a new archive made");
        }
    }

    @Test
    void sparesEndWithTheirGroupAndAreNotReplacedAfterwards() throws Exception {
        Group group = new Group();
        group.prestart("popen", 2);
        awaitSpares(group, "popen", 2);
        List<Long> spares = sparePids();
        assertEquals(2, spares.size(), spares.toString());
        group.terminate(Duration.ofSeconds(10));
        for (long pid : spares) {
            Processes.awaitExited(pid, Duration.ofSeconds(10), "spare");
        }
        assertEquals(0, group.spares("popen"));
        assertEquals(List.of(), sparePids(), "no spare is started after the group's end");
    }

    @Test
    void fewerSparesEndTheSurplusAndAGatewayStartsAsUsualWithoutOne() throws Exception {
        try (Group group = new Group()) {
            group.prestart("", 2);
            awaitSpares(group, "popen", 2);
            List<Long> spares = sparePids();
            group.prestart("popen", 0);
            assertEquals(0, group.spares("popen"));
            assertFalse(group.awaitSpares("popen", 1, Duration.ZERO), "none kept, none waiting");
            assertThrows(NullPointerException.class, () -> group.awaitSpares("popen", 1, null));
            for (long pid : spares) {
                Processes.awaitExited(pid, Duration.ofSeconds(10), "surplus spare");
            }
            // A spec that no spare matches (another JVM option) starts a worker of its own.
            Gateway gw = group.makeGateway("popen//jvmargs=-Xmx96m");
            assertEquals(1, gw.remoteExec("channel.send(1);").receive(T));
        }
    }

    @Test
    void onlyPopenJvmSpecsCanHaveSpares() {
        try (Group group = new Group()) {
            for (String spec : List.of("ssh=somehost", "socket=localhost:8888", "popen//python=/usr/bin/python3", "popen//via=gw0")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.prestart(spec, 1), spec);
                assertTrue(e.getMessage().contains("spares are popen worker JVMs"), e.getMessage());
            }
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> group.prestart("popen", -1));
            assertTrue(negative.getMessage().contains("give 0 or more"), negative.getMessage());
            assertEquals(List.of(), sparePids(), "nothing was started");
        }
    }
}
