package org.jexecnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The jexecnet command as a user drives it: real gateways, output, exit codes, one-line errors. */
class CliTest {
    /** What a run printed and returned. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void execPrintsWhatTheCodeSendsALineEach() {
        Run run = run("exec", "channel.send(1); channel.send(\"two\"); channel.send(java.util.List.of(3, \"x\"));");
        assertEquals(0, run.code(), run.err());
        assertEquals("1\ntwo\n[3, 'x']\n", run.out());
    }

    @Test
    void severalGatewaysPrefixTheirIds() {
        Run run = run("exec", "-g", "popen//id=a", "-g", "popen//id=b", "channel.send(\"hi\");");
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("[a] hi", "[b] hi"), run.out().lines().sorted().toList());
    }

    @Test
    void pythonGatewaysRunPythonSource() {
        Run run = run("exec", "-g", "popen//python=/usr/bin/python3", "channel.send(sum(range(10)))");
        assertEquals(0, run.code(), run.err());
        assertEquals("45\n", run.out());
    }

    @Test
    void codeFromAFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("snippet.java"), "for (int i = 0; i < 3; i++) {\n    channel.send(i * i);\n}\n");
        Run run = run("exec", "-f", file.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals("0\n1\n4\n", run.out());
    }

    @Test
    void aFailingSnippetIsOneLineAndExitOneTheTraceUnderV() {
        Run run = run("exec", "channel.send(\"first\");\nthrow new IllegalStateException(\"boom\");");
        assertEquals(1, run.code());
        assertEquals("first\n", run.out());
        assertTrue(run.err().startsWith("jexecnet exec: remote failure: java.lang.IllegalStateException: boom\n"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        Run verbose = run("exec", "-v", "throw new IllegalStateException(\"boom\");");
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().contains("\tat "), "the remote stack trace: " + verbose.err());
    }

    @Test
    void aBadSpecIsAUsageErrorOfOneLine() {
        Run run = run("exec", "-g", "id=w1", "channel.send(1);");
        assertEquals(2, run.code());
        assertEquals("jexecnet exec: no gateway type in spec 'id=w1': start it with popen, ssh=, socket= or vagrant_ssh=\n", run.err());
        Run unknown = run("exec", "-g", "bogus=1", "channel.send(1);");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("jexecnet exec: unknown key 'bogus' in gateway spec 'bogus=1'"), unknown.err());
        assertEquals(1, unknown.err().lines().count(), unknown.err());
        Run duplicate = run("status", "popen//id=a//id=b");
        assertEquals(2, duplicate.code());
        assertTrue(duplicate.err().contains("duplicate key 'id'"), duplicate.err());
    }

    @Test
    void missingCodeOrCommandIsAUsageError() {
        Run run = run("exec");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("Missing required argument"), run.err());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run().code());
    }

    @Test
    void statusShowsTheRemoteStatusAndInfo() {
        Run run = run("status", "popen//id=st");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("gateway     st (popen//id=st)"), run.out());
        assertTrue(run.out().contains("execmodel   thread"), run.out());
        assertTrue(run.out().contains("runtime     Java "), run.out());
        assertTrue(run.out().contains("library     jexecnet " + System.getProperty("jexecnet.version") + "\n"), run.out());
    }

    @Test
    void versionIsTheOneTheBuildGave() {
        Run run = run("--version");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("jexecnet " + System.getProperty("jexecnet.version") + ", Java " + Runtime.version()),
                run.out());
    }

    @Test
    void rsyncSendsATreeAndSaysHowMuch(@TempDir Path dir) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(source.resolve("a.txt"), "hello");
        Path dest = dir.resolve("dest");
        Run run = run("rsync", "--no-progress", source.getParent().toString(), "popen:" + dest);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("1 files updated, 5 bytes sent"), run.out());
        assertEquals("hello", Files.readString(dest.resolve("sub/a.txt")));
        Run again = run("rsync", "--no-progress", source.getParent().toString(), "popen:" + dest);
        assertTrue(again.out().contains("0 files updated, 0 bytes sent"), again.out());
        Run bad = run("rsync", source.toString(), "popen");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("is not SPEC:DEST"), bad.err());
    }

    @Test
    void theDemoAsTheReadmeRunsIt() {
        Run run = run("demo");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("348,513 primes below 5,000,000"), run.out()); // pi(5,000,000)
    }

    @Test
    void theDemoCountsPrimesOnWorkers() {
        Run run = run("demo", "--limit", "300000", "--workers", "2");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("25,997 primes below 300,000, by 2 workers"), run.out());
        // Every worker is listed; which one took how many of the 3 tasks depends on which started first.
        Matcher line = Pattern.compile("(worker[01]) +([0-9]+) tasks").matcher(run.out());
        Set<String> listed = new HashSet<>();
        int tasks = 0;
        while (line.find()) {
            listed.add(line.group(1));
            tasks += Integer.parseInt(line.group(2));
        }
        assertEquals(Set.of("worker0", "worker1"), listed, run.out());
        assertEquals(3, tasks, run.out());
    }

    @Test
    void aMasterWithoutACompilerSaysSoForJavaSourceAndStillRunsLambdas() throws Exception {
        // A JVM limited to the modules a JRE without the compiler has, running the CLI as a user would.
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--limit-modules", "java.base,java.logging,jdk.net,jdk.unsupported", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "exec", "channel.send(1);");
        Process process = new ProcessBuilder(command).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, process.exitValue(), err);
        assertTrue(err.startsWith("jexecnet exec: remoteExec(String) compiles Java source on the master, but this JVM"), err);
        assertTrue(err.contains("has no Java compiler"), err);
        assertEquals(1, err.lines().count(), err);
    }
}
