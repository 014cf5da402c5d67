package org.jexecnet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.jexecnet.Execnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A modular application with the README's module-info.java, run on the module path beside jexecnet's module,
 * ships a lambda and a method reference to a worker; without the README's {@code opens} line it is told which line
 * to add.
 */
class ModularApplicationTest {
    private static final long TIMEOUT_SECONDS = 90;
    private static final String APP = """
            package com.example.app;

            import java.time.Duration;
            import org.jexecnet.Channel;
            import org.jexecnet.Gateway;
            import org.jexecnet.Group;

            public class App {
                static void greet(Channel channel) {
                    channel.send("hello from " + ProcessHandle.current().pid());
                }

                public static void main(String[] args) {
                    try (Group group = new Group("popen")) {
                        Gateway gateway = group.get(0);
                        int factor = 3;
                        Channel lambda = gateway.remoteExec(channel -> channel.send(14 * factor));
                        System.out.println("lambda: " + lambda.receive(Duration.ofSeconds(60)));
                        Channel reference = gateway.remoteExec(App::greet);
                        System.out.println("method reference: " + reference.receive(String.class, Duration.ofSeconds(60)));
                        Channel source = gateway.remoteExec("channel.send(6 * 7);");
                        System.out.println("source: " + source.receive(Duration.ofSeconds(60)));
                    }
                }
            }
            """;

    /** What the application printed and how it ended. */
    private record Run(int code, String out, String err) {}

    private static Run runApplication(Path dir, String moduleInfo) throws Exception {
        Path core = Path.of(Execnet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path sources = Files.createDirectories(dir.resolve("src/com/example/app"));
        Files.writeString(dir.resolve("src/module-info.java"), moduleInfo);
        Files.writeString(sources.resolve("App.java"), APP);
        Path classes = dir.resolve("classes");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(),
                "--module-path", core.toString(), dir.resolve("src/module-info.java").toString(), sources.resolve("App.java").toString());
        assertEquals(0, compiled, "the application compiles against jexecnet's module");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", core + java.io.File.pathSeparator + classes, "-m", "com.example.app/com.example.app.App"));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the application ended within " + TIMEOUT_SECONDS + " s");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theReadmesModuleDeclarationLetsLambdasAndMethodReferencesShip(@TempDir Path dir) throws Exception {
        Run run = runApplication(dir, ReadmeBlocks.moduleDeclaration().text());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("lambda: 42\n"), run.out());
        assertTrue(run.out().matches("(?s).*method reference: hello from \\d+\n.*"), run.out());
        assertTrue(run.out().contains("source: 42\n"), run.out());
    }

    @Test
    void withoutTheOpensLineTheErrorNamesTheLineToAdd(@TempDir Path dir) throws Exception {
        String withoutOpens = ReadmeBlocks.moduleDeclaration().lines().stream()
                .filter(line -> !line.strip().startsWith("opens "))
                .reduce("", (text, line) -> text + line + "\n");
        Run run = runApplication(dir, withoutOpens);
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("module com.example.app does not open package com.example.app to org.jexecnet; add \"opens"
                + " com.example.app to org.jexecnet;\" to that module's module-info.java"), run.err());
    }
}
