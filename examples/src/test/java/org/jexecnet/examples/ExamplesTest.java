package org.jexecnet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every example runs and computes what it says. */
@Timeout(120)
class ExamplesTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void noWorkerIsLeftRunning() throws Exception {
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            boolean worker = child.info().arguments().map(a -> List.of(a).contains("org.jexecnet.internal.worker.WorkerMain"))
                    .orElse(false);
            if (worker) {
                child.onExit().get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void rsyncSendsOnlyWhatChanged(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int[] sent = RSyncExample.run(dir, out);
        assertEquals(4, sent[0], "two files to each of two targets");
        assertEquals(2, sent[1], "the changed file to each target");
        assertEquals("<h1>hello, again</h1>", java.nio.file.Files.readString(dir.resolve("copy-web2/pages/index.html")));
    }

    @Test
    void apiInANutshell() {
        List<Object> result = ApiInANutshell.run(out);
        assertEquals(2, result.get(0));
        assertEquals(List.of("first", "gw0"), result.get(1), "ids count per group");
        assertTrue(printed().contains("3 squared is 9"), printed());
    }

    @Test
    void receiveQueue() throws Exception {
        assertEquals(Set.of("hello from a", "hello from b", "hello from c"), new HashSet<>(ReceiveQueueExample.run(out)));
        assertTrue(printed().contains("b is done"), printed());
    }

    @Test
    void callbacks() throws Exception {
        assertEquals(List.of(0, 1, 4, 9, 16), CallbackExample.run(out));
    }

    @Test
    void terminateDeliversEndmarkers() throws Exception {
        assertEquals(List.of("END", "END", "END"), TerminateExample.run(out));
    }

    @Test
    void aMixedFarmOfJvmAndPythonWorkersComputesTheSameSum() throws Exception {
        java.util.Map<String, Long> result = MixedTaskFarm.run(System.getProperty("execnet.python", "/usr/bin/python3"),
                1_000_000, out);
        long n = 1_000_000;
        assertEquals((n - 1) * n * (2 * n - 1) / 6, (long) result.get("total"), "the sum of the squares below n");
        assertEquals(20, result.entrySet().stream().filter(e -> !e.getKey().equals("total"))
                .mapToLong(java.util.Map.Entry::getValue).sum(), "every task done once");
    }

    @Test
    void taskFarmCountsThePrimes() throws Exception {
        TaskFarm.Result result = TaskFarm.run(1_000_000, 2, out);
        assertEquals(78_498, result.primes(), "there are 78,498 primes below one million");
        assertEquals(10, result.tasksPerWorker().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(printed().contains("100% done"), printed());
    }
}
