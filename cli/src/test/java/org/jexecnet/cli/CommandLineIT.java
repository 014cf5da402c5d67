package org.jexecnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line as a user meets it: the shaded jar run with {@code java -jar} in a process of its
 * own, its stdout, stderr and exit code read back; on a terminal (a pseudo-terminal from
 * {@code script}) where the output depends on one.
 */
@Timeout(180)
class CommandLineIT {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String JAR = System.getProperty("jexecnet.cli.jar", "target/jexecnet-cli.jar");
    private static final String CORE_JAR = System.getProperty("jexecnet.core.jar");
    private static final String PYTHON = System.getProperty("execnet.python", "/usr/bin/python3");
    private static final long WAIT_SECONDS = 120;

    /** What a run printed and returned. */
    record Run(int code, String out, String err) {}

    private static Run jexecnet(String... args) throws Exception {
        return run(null, Map.of(), command(args));
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a command to its end, with stdin given (or none), stdout and stderr read apart. */
    private static Run run(String stdin, Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("NO_COLOR");
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> out = readAll(process.getInputStream());
        CompletableFuture<String> err = readAll(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + WAIT_SECONDS + " s");
        }
        return new Run(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    /**
     * Runs the jar on a pseudo-terminal, as {@code script} gives one: stdout and stderr both reach the
     * terminal, so what they print comes back together, with carriage returns and colors as sent.
     */
    private static String onTerminal(Map<String, String> env, String... args) throws Exception {
        String line = command(args).stream().map(CommandLineIT::quote).collect(Collectors.joining(" "));
        Map<String, String> withTerm = new HashMap<>(Map.of("TERM", "xterm-256color"));
        withTerm.putAll(env);
        Run run = run(null, withTerm, List.of("script", "-qfec", line, "/dev/null"));
        return run.out();
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "read-" + stream);
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aSnippetThatDoesNotCompileShowsTheCompilersLinesAndNoStackTrace() throws Exception {
        Run run = jexecnet("exec", "channel.send(x);");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("jexecnet exec: remoteExec source does not compile:\n"), run.err());
        assertTrue(run.err().contains("line 1, column 14: cannot find symbol"), run.err());
        assertTrue(run.err().contains("symbol:   variable x"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());

        Run verbose = jexecnet("exec", "-v", "channel.send(x);");
        assertTrue(verbose.err().contains("\tat org.jexecnet."), "-v shows where: " + verbose.err());
        assertFalse(verbose.err().contains("picocli"), "but not picocli's frames: " + verbose.err());
        assertEquals(1, count(verbose.err(), "symbol:   variable x"), "the compiler's lines once: " + verbose.err());
    }

    @Test
    void theProgressBarIsDrawnOnATerminalOnlyElsewhereALinePerFile(@TempDir Path dir) throws Exception {
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(source.resolve("a.txt"), "hello");
        Files.write(source.resolve("big.bin"), new byte[3_000_000]);

        Run piped = jexecnet("rsync", source.toString(), "popen:" + dir.resolve("piped"));
        assertEquals(0, piped.code(), piped.err());
        assertFalse(piped.err().contains("\r"), "no carriage returns off a terminal: " + piped.err());
        assertEquals(List.of("rsync: 2 files to send to gw0, 3,000,005 bytes", "rsync: sent a.txt (5 bytes)",
                "rsync: sent big.bin (3,000,000 bytes)"), piped.err().lines().sorted().toList());
        assertTrue(piped.out().contains("2 files updated, 3,000,005 bytes sent"), piped.out());

        String terminal = onTerminal(Map.of(), "rsync", source.toString(), "popen:" + dir.resolve("terminal"));
        assertTrue(terminal.contains("\r"), "a bar redrawn in place: " + terminal);
        assertTrue(terminal.contains("rsync 100%"), terminal);
        assertFalse(terminal.contains("?"), "no unknown rate or ETA: " + terminal);
        assertFalse(Pattern.compile("[0-9]{3,}:[0-9]{2}:[0-9]{2}").matcher(terminal).find(), "no ETA of years: " + terminal);
        assertFalse(Pattern.compile("[A-Za-z/)]big\\.bin").matcher(terminal).find(), "the file name stands apart: " + terminal);

        Run demo = jexecnet("demo", "--limit", "300000", "--workers", "2");
        assertEquals(0, demo.code(), demo.err());
        assertFalse(demo.err().contains("\r"), demo.err());
        assertTrue(demo.err().contains("tasks: 3 of 3 done"), demo.err());
        assertTrue(demo.out().contains("25,997 primes below 300,000, by 2 workers"), demo.out());
    }

    @Test
    void dashAsTheFileReadsTheCodeFromStdin() throws Exception {
        Run run = run("for (int i = 0; i < 3; i++) channel.send(i * i);\n", Map.of(), command("exec", "-f", "-"));
        assertEquals(0, run.code(), run.err());
        assertEquals("0\n1\n4\n", run.out());
    }

    @Test
    void withSeveralGatewaysAnErrorNamesTheOneThatFailed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        Run start = jexecnet("exec", "-g", "popen//id=fine", "-g", "popen//id=broken//chdir=" + file, "channel.send(1);");
        assertEquals(1, start.code(), start.err());
        assertTrue(start.err().startsWith("jexecnet exec: gateway broken (popen//id=broken//chdir=" + file + "): chdir="), start.err());
        assertTrue(start.err().contains(file + " is a file, not a directory"), start.err());

        Run remote = jexecnet("exec", "-g", "popen//id=a", "-g", "popen//id=b",
                "if (channel.gateway().id().equals(\"b\")) throw new IllegalStateException(\"boom\"); channel.send(1);");
        assertEquals(1, remote.code(), remote.err());
        assertTrue(remote.err().startsWith("jexecnet exec: gateway b: remote failure: java.lang.IllegalStateException: boom\n"), remote.err());
    }

    @Test
    void aWorkerThatFailsToStartShowsItsStderrOnceAndANonJvmIsSaidToBeOne() throws Exception {
        Run tooSmall = jexecnet("exec", "-g", "popen//java=" + JAVA + "//jvmargs=-Xmx1k", "channel.send(1);");
        assertEquals(1, tooSmall.code(), tooSmall.err());
        assertTrue(tooSmall.err().contains("before it was ready"), tooSmall.err());
        assertEquals(1, count(tooSmall.err(), "Too small maximum heap"), "once, in the error: " + tooSmall.err());

        Run python = jexecnet("exec", "-g", "popen//java=" + PYTHON, "channel.send(1);");
        assertEquals(1, python.code(), python.err());
        assertTrue(python.err().startsWith("jexecnet exec: java=" + PYTHON + ": it is not a JVM"), python.err());
        assertFalse(python.err().contains("Traceback"), python.err());
    }

    @Test
    void bytesPrintAsTextWhenTheyAreUtf8ElseInHexSaidOnce() throws Exception {
        Run run = jexecnet("exec", "channel.send(\"héllo\".getBytes(java.nio.charset.StandardCharsets.UTF_8));"
                + " channel.send(new byte[] {0, 1, (byte) 0xff}); channel.send(new byte[] {(byte) 0xfe});"
                + " channel.send(java.util.List.of(\"a\".getBytes(), new byte[] {2}));");
        assertEquals(0, run.code(), run.err());
        assertEquals("héllo\n0001ff\nfe\n[b'a', 0x02]\n", run.out());
        assertEquals("(bytes that are not UTF-8 text are shown in hex)\n", run.err());
    }

    @Test
    void remoteOutputReachesStderrPrefixedWithTheGatewayId() throws Exception {
        Run run = jexecnet("exec", "-g", "popen//id=w1", "System.out.println(\"hello from w1\"); System.out.println(\"again\"); channel.send(1);");
        assertEquals(0, run.code(), run.err());
        assertEquals("1\n", run.out());
        assertTrue(run.err().contains("[w1] hello from w1\n[w1] again\n"), run.err());
    }

    @Test
    void helpNeverWrapsInsideAWord() throws Exception {
        CommandLine model = Main.commandLine();
        for (Map.Entry<String, CommandLine> sub : model.getSubcommands().entrySet()) {
            Run help = jexecnet(sub.getKey(), "--help");
            assertEquals(0, help.code(), help.err());
            List<String> printed = Arrays.asList(help.out().split("\\s+"));
            CommandSpec spec = sub.getValue().getCommandSpec();
            List<String> declared = Stream.of(Stream.of(spec.usageMessage().description()), Stream.of(spec.usageMessage().footer()),
                    spec.options().stream().flatMap(option -> Stream.of(option.description())))
                    .flatMap(s -> s).filter(text -> !text.contains("${")).flatMap(text -> Stream.of(text.split("\\s+")))
                    .filter(word -> !word.isEmpty() && !word.contains("%n")).toList();
            for (String word : declared) {
                assertTrue(printed.contains(word), sub.getKey() + " --help broke the word '" + word + "':\n" + help.out());
            }
            assertTrue(help.out().lines().allMatch(line -> line.length() <= 80), help.out());
        }
    }

    @Test
    void theCoreJarsSocketServerAndTheCliTakeTheSameArguments() throws Exception {
        for (List<String> program : List.of(List.of(JAVA, "-jar", CORE_JAR, "socketserver"), List.of(JAVA, "-jar", JAR, "socketserver"))) {
            for (List<String> address : List.of(List.of("--bind", "127.0.0.1:0"), List.of("--bind=127.0.0.1:0"), List.of("127.0.0.1:0"),
                    List.of(":0"))) {
                List<String> command = new ArrayList<>(program);
                command.addAll(address);
                try (Server server = Server.start(command)) {
                    assertTrue(server.port() > 0, command.toString());
                }
            }
        }
    }

    @Test
    void aPythonExecnetClientIsToldItIsNotAJexecnetClient() throws Exception {
        try (Server server = Server.start(command("socketserver", "127.0.0.1:0"))) {
            Run python = run(null, Map.of(), List.of(PYTHON, "-c", "import execnet\n"
                    + "try:\n    execnet.makegateway('socket=127.0.0.1:" + server.port() + "//id=py')\nexcept Exception as e:\n    print('failed', e)"));
            assertNotEquals("", python.out() + python.err(), "Python's client gave up");
            String log = server.logUntil("refused");
            assertTrue(log.contains("not a jexecnet client: it began with"), log);
            assertTrue(log.contains("Python execnet's socket gateway"), log);
            assertFalse(log.contains("longer than"), log);
        }
    }

    @Test
    void colorsOnATerminalUnlessNoColorAndNeverOffATerminal() throws Exception {
        String code = "channel.send(1);";
        String colored = onTerminal(Map.of(), "exec", "-g", "popen", "-g", "popen", code);
        assertTrue(colored.contains("\u001b[36m[gw0]\u001b[0m 1"), colored);
        String failing = onTerminal(Map.of(), "exec", "channel.send(x);");
        assertTrue(failing.contains("\u001b[1;31mjexecnet exec:\u001b[0m"), failing);

        String plain = onTerminal(Map.of("NO_COLOR", "1"), "exec", "-g", "popen", "-g", "popen", code);
        assertTrue(plain.contains("[gw0] 1"), plain);
        assertFalse(plain.contains("\u001b["), plain);

        Run piped = jexecnet("exec", "-g", "popen", "-g", "popen", "channel.send(x);");
        assertFalse(piped.err().contains("\u001b["), piped.err());
        Run help = jexecnet("exec", "--help");
        assertFalse(help.out().contains("\u001b["), help.out());
    }

    /** A socket server process, its port read from its log; closing it kills it. */
    private record Server(Process process, int port, BufferedReader log, Path keys) implements AutoCloseable {
        private static final Pattern LISTENING = Pattern.compile("listening on [0-9.]+:([0-9]+)");

        /** Starts it with a TLS key of its own in a new temporary file, never the user's. */
        static Server start(List<String> command) throws Exception {
            Path keys = Files.createTempDirectory("jexecnet-cli-it-key");
            List<String> withKey = new ArrayList<>(command);
            withKey.addAll(List.of("--key-file", keys.resolve("key.pem").toString()));
            ProcessBuilder builder = new ProcessBuilder(withKey).redirectErrorStream(true);
            builder.environment().put("JEXECNET_SECRET", "a secret for the test");
            Process process = builder.start();
            BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Server server = new Server(process, 0, log, keys);
            try {
                String said = server.logUntil("listening on");
                Matcher matcher = LISTENING.matcher(said);
                if (!matcher.find()) {
                    throw new AssertionError(command + " said " + said);
                }
                return new Server(process, Integer.parseInt(matcher.group(1)), log, keys);
            } catch (Exception | AssertionError e) {
                server.close();
                throw e;
            }
        }

        /** The next line of the log, waited for at most {@link #WAIT_SECONDS}. */
        String readLine() throws Exception {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return log.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            String text = line.get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (text == null) {
                throw new AssertionError("the server ended");
            }
            return text;
        }

        /** The log up to and including the first line that contains {@code part}. */
        String logUntil(String part) throws Exception {
            StringBuilder text = new StringBuilder();
            String line;
            do {
                line = readLine();
                text.append(line).append('\n');
            } while (!line.contains(part));
            return text.toString();
        }

        @Override
        public void close() throws InterruptedException, IOException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(keys)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
