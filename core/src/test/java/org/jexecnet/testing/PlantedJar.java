package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

/**
 * An attacker's jar for cache-poisoning tests: one class, under the name of a class the victim loads,
 * whose code writes a marker file, so that a test sees whether it ran.
 */
public final class PlantedJar {
    private PlantedJar() {}

    /**
     * Compiles the class (in {@code work}) and returns the jar's bytes.
     *
     * @param binaryName the class to impersonate, as {@code org.apache.commons.lang3.StringUtils}
     * @param members its members; {@code MARK;} in them is the statement that writes the marker
     */
    public static byte[] of(Path work, String binaryName, String members, Path marker) throws IOException {
        int dot = binaryName.lastIndexOf('.');
        String path = binaryName.replace('.', '/');
        Path source = work.resolve("planted-src").resolve(path + ".java");
        Files.createDirectories(source.getParent());
        String mark = "try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker + "\"), \"ran\"); }"
                + " catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }";
        Files.writeString(source, "package " + binaryName.substring(0, dot) + ";\npublic class " + binaryName.substring(dot + 1) + " {\n"
                + members.replace("MARK;", mark) + "\n}\n");
        Path classes = Files.createDirectories(work.resolve("planted-classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-cp", classes.toString(),
                "-d", classes.toString(), source.toString()), "the planted class compiles");
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(jar)) {
            out.putNextEntry(new JarEntry(path + ".class"));
            out.write(Files.readAllBytes(classes.resolve(path + ".class")));
            out.closeEntry();
        }
        return jar.toByteArray();
    }
}
