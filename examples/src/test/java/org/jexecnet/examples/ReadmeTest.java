package org.jexecnet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java compiles as a reader would paste it: each block of statements into a method that throws
 * Exception, with the block's imports at the top of its file; each block that declares a type as a file of its
 * own; all together, against jexecnet's core. (The module-info.java block is ModularApplicationTest's.)
 */
class ReadmeTest {

    /** A source file in memory, made from README lines, whose line numbers are the README's. */
    private static final class Source extends SimpleJavaFileObject {
        final int readmeLine;
        private final String text;

        Source(String className, String text, int readmeLine) {
            super(URI.create("string:///" + className + ".java"), Kind.SOURCE);
            this.text = text;
            this.readmeLine = readmeLine;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    @Test
    void everyJavaBlockCompilesAgainstTheCore(@TempDir Path classes) throws IOException {
        List<ReadmeBlocks.Block> blocks = ReadmeBlocks.java();
        List<Source> sources = new ArrayList<>();
        int statements = 0;
        for (ReadmeBlocks.Block block : blocks) {
            assertFalse(block.lines().stream().anyMatch(line -> line.strip().equals("...")),
                    "README.md line " + block.firstLine() + ": a block of code to compile holds a literal ...");
            switch (block.kind()) {
                case MODULE -> { }
                case TYPE -> {
                    String name = block.lines().stream().filter(line -> line.matches(".*(class|record|interface|enum) \\w+.*"))
                            .findFirst().orElseThrow().replaceAll(".*(class|record|interface|enum) (\\w+).*", "$2");
                    sources.add(new Source(name, block.text(), block.firstLine()));
                }
                case STATEMENTS -> {
                    String name = "ReadmeBlock" + ++statements;
                    // Line for line: the imports stay where they were (blanked below), the class and method
                    // open on the first line, so a compiler error's line maps straight back to the README.
                    List<String> body = new ArrayList<>(block.body());
                    String header = String.join(" ", block.imports()) + " class " + name + " { static void run() throws Exception { ";
                    body.set(0, header + body.get(0));
                    body.add("} }");
                    sources.add(new Source(name, String.join("\n", body) + "\n", block.firstLine()));
                }
            }
        }
        assertTrue(statements >= 4 && sources.size() >= 6, "README.md lost its code: " + blocks.size() + " blocks");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("--release", "17", "-proc:none", "-Xlint:none", "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"));
        boolean compiled = javac.getTask(null, null, diagnostics, options, null, sources).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                Source source = (Source) diagnostic.getSource();
                errors.add("README.md line " + (source.readmeLine + diagnostic.getLineNumber() - 1) + ": "
                        + diagnostic.getMessage(Locale.ROOT));
            }
        }
        assertEquals(List.of(), errors, "the README's code does not compile");
        assertTrue(compiled);
    }
}
