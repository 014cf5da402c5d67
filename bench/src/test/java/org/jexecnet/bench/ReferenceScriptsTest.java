package org.jexecnet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python side of the benchmarks runs from this repository, with the smallest counts, against the real
 * Python execnet, and prints the result names the benchmark classes look for, in the form they parse.
 * (rsync_tree.py needs the rsync command and ssh_first_item.py an sshd; bench/run-rsync.sh and run-ssh.sh run them.)
 */
class ReferenceScriptsTest {
    private static final long TIMEOUT_SECONDS = 120;
    /** The line the benchmark classes parse: two spaces before the bracket. */
    private static final Pattern RESULT = Pattern.compile("^(\\S+): (\\S+) (\\S+)  \\[min \\S+, max \\S+, n=\\d+, spread \\d+%]$");

    private static List<String> run(String script, String... args) throws Exception {
        return ReferenceScripts.run(ReferenceScripts.command(script, args), TIMEOUT_SECONDS);
    }

    /** Each name has one result line of the parsed form, with a number. */
    private static void assertResults(List<String> output, String... names) {
        for (String name : names) {
            List<String> lines = output.stream().filter(line -> line.startsWith(name + ": ")).toList();
            assertEquals(1, lines.size(), name + " in " + output);
            var result = RESULT.matcher(lines.get(0));
            assertTrue(result.matches(), lines.get(0));
            Double.parseDouble(result.group(2));
        }
    }

    @Test
    void startupTimesSingleGatewaysAndAGroupOfEight() throws Exception {
        assertResults(run("startup.py", "1", "1"), "popen.makegateway", "popen.makegateway_to_first_item",
                "popen.exit_call", "popen.exit_until_reaped", "group8.start_sequential_and_first_item", "group8.terminate",
                "group8.total");
    }

    @Test
    void channelScriptsNameTheirResultsByTheirCounts() throws Exception {
        assertResults(run("pingpong.py", "1000", "1"), "pingpong.round_trip_1k", "pingpong.round_trips_per_s");
        assertResults(run("oneway.py", "1000", "1"), "oneway.remote_to_master_1k_ints", "oneway.master_to_remote_1k_ints");
        assertResults(run("bulk.py", "2", "1"), "bulk.master_to_remote_1MiB_x2", "bulk.remote_to_master_1MiB_x2");
    }

    @Test
    void serializerReportsWhatSerializerComparisonReads() throws Exception {
        List<String> output = run("serializer.py", "1", "1");
        for (SerializerBench.Case c : SerializerBench.Case.values()) {
            assertTrue(output.stream().anyMatch(line -> line.matches("# " + c.pythonName() + ": serialized size \\d+ bytes")),
                    c + " size in " + output);
            for (String op : List.of("dumps", "loads")) {
                String name = "serializer." + op + "." + c.pythonName();
                assertResults(output, name, name + ".MBps");
                if (c.items() > 0) {
                    assertResults(output, name + ".items");
                }
            }
        }
    }

    @Test
    void firstExecutionAndIdleWorkerMemory() throws Exception {
        assertResults(run("first_exec.py", "1"), "first_exec.function", "first_exec.source");
        List<String> rss = run("idle_worker_rss.py", "1");
        assertTrue(rss.stream().anyMatch(line -> line.matches("rss \\d+ \\d+ \\d+")), rss.toString());
    }

    @Test
    void execnetsRSyncCopiesATreeOnce(@TempDir Path dir) throws Exception {
        Path source = Files.createDirectories(dir.resolve("source/sub"));
        Files.writeString(source.resolve("file.txt"), "content");
        List<String> output = run("rsync_once.py", dir.resolve("source").toString(), dir.resolve("dest").toString());
        assertTrue(output.stream().anyMatch(line -> line.matches("send_ms [0-9.]+")), output.toString());
        assertEquals("content", Files.readString(dir.resolve("dest/sub/file.txt")));
    }

    @Test
    void wholeProcessTimesAndTheirAggregate() throws Exception {
        assertResults(run("process_time.py", "proc.execnet_hello", "1", "--", ReferenceScripts.python(),
                ReferenceScripts.python("hello_execnet.py").toString()), "proc.execnet_hello.wall", "proc.execnet_hello.cpu");
        ProcessBuilder aggregate = ReferenceScripts.command("aggregate.py", "unpinned.")
                .redirectInput(ProcessBuilder.Redirect.from(writeLines("pipe.pingpong.8B: 3 us", "# a comment",
                        "pipe.pingpong.8B: 1 us", "pipe.pingpong.8B: 2 us")));
        List<String> output = ReferenceScripts.run(aggregate, TIMEOUT_SECONDS);
        assertEquals(List.of("unpinned.pipe.pingpong.8B: 2 us  [min 1, max 3, n=3, spread 100%]"), output);
    }

    private static java.io.File writeLines(String... lines) throws java.io.IOException {
        Path file = Files.createTempFile("aggregate", ".txt");
        file.toFile().deleteOnExit();
        return Files.write(file, List.of(lines)).toFile();
    }
}
