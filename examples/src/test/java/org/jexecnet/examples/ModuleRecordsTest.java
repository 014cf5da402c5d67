package org.jexecnet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.jexecnet.Execnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of an application that is a JPMS module, with jexecnet on the module path as module
 * {@code org.jexecnet}: without {@code opens} jexecnet cannot reach a record that its module does not
 * export, and says how to fix that; with it, records travel both ways.
 */
@Timeout(120)
class ModuleRecordsTest {
    private static final String MAIN = """
            package app;

            import app.model.Point;
            import org.jexecnet.Execnet;

            public class Main {
                public static void main(String[] args) {
                    try {
                        byte[] bytes = Execnet.dumps(new Point(1, 2));
                        System.out.println("dumped " + Execnet.loads(bytes));
                        System.out.println("loaded " + Execnet.loads(bytes, Point.class));
                    } catch (RuntimeException e) {
                        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                    try {
                        System.out.println("made " + Execnet.loads(Execnet.dumps(java.util.Map.of("x", 3)), Point.class));
                    } catch (RuntimeException e) {
                        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }
            """;

    @Test
    void aModuleMustOpenItsRecordsPackageToJexecnetAndIsToldSo(@TempDir Path dir) throws Exception {
        String closed = runApp(dir.resolve("closed"), "module app { requires org.jexecnet; }");
        assertEquals("DumpException: value: cannot serialize app.model.Point: jexecnet cannot reach record app.model.Point: module app"
                + " does not open package app.model to org.jexecnet; add \"opens app.model to org.jexecnet;\" to that module's"
                + " module-info.java (or export the package and make the record public)\n"
                + "ConversionException: cannot load a Point: value: jexecnet cannot reach record app.model.Point: module app does not"
                + " open package app.model to org.jexecnet; add \"opens app.model to org.jexecnet;\" to that module's module-info.java"
                + " (or export the package and make the record public)\n", closed);

        String open = runApp(dir.resolve("open"), "module app { requires org.jexecnet; opens app.model to org.jexecnet; }");
        assertEquals("dumped {x=1, y=2}\nloaded Point[x=1, y=2]\nConversionException: cannot load a Point: value: no value for"
                + " Point's component \"y\" (the dict has keys x)\n", open);
    }

    @Test
    void aPublicRecordOfAnExportedPackageNeedsNothingMore(@TempDir Path dir) throws Exception {
        String exported = runApp(dir, "module app { requires org.jexecnet; exports app.model; }");
        assertTrue(exported.startsWith("dumped {x=1, y=2}\nloaded Point[x=1, y=2]\n"), exported);
    }

    /** Compiles the application module with this module-info and runs it; returns what it printed. */
    private static String runApp(Path dir, String moduleInfo) throws Exception {
        Path sources = dir.resolve("src");
        write(sources.resolve("module-info.java"), moduleInfo);
        write(sources.resolve("app/Main.java"), MAIN);
        write(sources.resolve("app/model/Point.java"), "package app.model;\n\npublic record Point(int x, int y) {}\n");
        String jexecnet = Path.of(Execnet.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Path classes = dir.resolve("classes");
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "--module-path", jexecnet));
        try (var files = Files.walk(sources)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> arguments.add(file.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, arguments.toArray(String[]::new)), "the application compiles");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--module-path", jexecnet + File.pathSeparator + classes, "-m", "app/app.Main")
                .redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the application ends");
        assertEquals(0, process.exitValue(), printed);
        return printed;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
