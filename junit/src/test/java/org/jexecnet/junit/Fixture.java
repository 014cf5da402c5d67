package org.jexecnet.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixture suite (the junit/fixture module) as a build tool would hand it to the runner: its classes
 * directory and the class path Maven resolved for it, which has the Jupiter engine but no launcher.
 */
final class Fixture {
    private Fixture() {}

    static Path classes() {
        return Path.of(System.getProperty("fixture.classes"));
    }

    /** The suite's class path, its classes first. */
    static List<Path> classPath() {
        return classPath(classes());
    }

    /** The class path with another copy of the suite's classes in place of the module's. */
    static List<Path> classPath(Path classes) {
        List<Path> entries = new ArrayList<>();
        entries.add(classes);
        try {
            for (String entry : Files.readString(Path.of(System.getProperty("fixture.classpath"))).strip().split(java.io.File.pathSeparator)) {
                entries.add(Path.of(entry));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the fixture module writes its class path when it is built (mvn -pl junit -am)", e);
        }
        return entries;
    }
}
