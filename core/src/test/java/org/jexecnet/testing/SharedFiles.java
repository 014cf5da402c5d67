package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the project's {@code shared/} folder, which lies beside the repository's checkout. */
public final class SharedFiles {
    private SharedFiles() {}

    /** Finds {@code shared/<relative>} in the working directory or one of its parents. */
    public static Path path(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return fail("shared/" + relative + " not found beside the checkout or above " + Path.of("").toAbsolutePath());
    }
}
