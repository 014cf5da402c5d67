package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports the public package only, and the core needs nothing beyond the JDK. */
class ModuleExportsTest {

    @Test
    void onlyTheApiPackageIsExportedAndOnlyJdkModulesAreRequired() throws Exception {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertEquals("org.jexecnet", descriptor.name());
        assertEquals(Set.of("org.jexecnet"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        for (ModuleDescriptor.Requires requires : descriptor.requires()) {
            assertTrue(requires.name().startsWith("java.") || requires.name().startsWith("jdk."),
                    "the core jar ships to remote hosts alone: no dependency on " + requires.name());
        }
    }
}
