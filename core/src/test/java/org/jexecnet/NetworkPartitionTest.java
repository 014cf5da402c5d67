package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts simulated with network namespaces: a master in one, sshd and the worker in the other,
 * joined by a veth link that the test takes down mid-conversation. Root only (namespaces need it);
 * nothing touches the root namespace.
 */
@ExtendWith(NoLeftoverWorkers.class)
class NetworkPartitionTest {
    private static final String PREFIX = "jx" + ProcessHandle.current().pid();
    private static final String MASTER_NS = PREFIX + "-m";
    private static final String WORKER_NS = PREFIX + "-w";

    @TempDir
    static Path dir;
    private static SshServer sshd;

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + out);
    }

    private static String netns() throws Exception {
        return Path.of(NetworkPartitionTest.class.getResource("/netns.sh").toURI()).toString();
    }

    @BeforeAll
    static void up() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        run("sh", netns(), "down", PREFIX);
        run("sh", netns(), "up", PREFIX);
        sshd = SshServer.start(dir, WORKER_NS, "10.77.0.11", 22);
    }

    @AfterAll
    static void down() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if ("root".equals(System.getProperty("user.name"))) {
            run("sh", netns(), "down", PREFIX);
        }
    }

    @Test
    void aLinkTakenDownMidConversationIsReportedAndTheWorkerEndsByItself() throws Exception {
        // LogLevel=INFO (the first value ssh reads wins) lets ssh say why it gave up.
        String spec = "ssh=-o LogLevel=INFO " + sshd.target() + "//env:JEXECNET_CACHE=" + dir.resolve("cache");
        Process master = new ProcessBuilder("ip", "netns", "exec", MASTER_NS,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "org.jexecnet.testing.PartitionMaster", spec).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture.runAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
            } catch (IOException e) {
                // the master ended
            }
        });
        try {
            String ready = lines.poll(60, TimeUnit.SECONDS);
            assertTrue(ready != null && ready.startsWith("ready "), "the master never got its worker going: " + ready);
            String[] facts = ready.split(" ");
            ProcessHandle worker = ProcessHandle.of(Long.parseLong(facts[1])).orElseThrow();
            assertEquals("10.77.0.1", facts[2], "the worker's ssh session comes from the master's namespace: " + ready);

            run("ip", "-n", WORKER_NS, "link", "set", "vw", "down");
            String lost = lines.poll(60, TimeUnit.SECONDS);
            assertTrue(lost != null && lost.startsWith("lost "), "the master never noticed: " + lost);
            assertTrue(lost.contains("ConnectionLostException"), lost);
            assertTrue(lost.contains("no sign of life") || lost.contains("not responding"), "the heartbeat's or ssh's words: " + lost);
            long silentMillis = Long.parseLong(lost.split(" ")[1]);
            assertTrue(silentMillis <= 10_000, "noticed after " + silentMillis + " ms of silence (the heartbeat's 8 s by default)");
            assertTrue(master.waitFor(30, TimeUnit.SECONDS), "the master exits once it has reported");

            // The worker hears nothing from its master either: its heartbeat ends it, with the link still down.
            worker.onExit().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), sshd.workers());
            run("ip", "-n", WORKER_NS, "link", "set", "vw", "up");
        } finally {
            master.destroyForcibly();
            run("ip", "-n", WORKER_NS, "link", "set", "vw", "up");
        }
    }
}
