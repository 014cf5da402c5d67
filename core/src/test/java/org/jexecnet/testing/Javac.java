package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;

/** Compiles a class at test time, for tests of classes the master loads from a directory of its own. */
public final class Javac {
    private Javac() {}

    /** Writes {@code source} to {@code root/file} and compiles it into {@code root}, against the test class path. */
    public static void compile(Path root, String file, String source) throws Exception {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, source);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", root.toString(),
                "-cp", System.getProperty("java.class.path") + ":" + root, path.toString());
        assertEquals(0, status, "compiling " + file);
    }
}
