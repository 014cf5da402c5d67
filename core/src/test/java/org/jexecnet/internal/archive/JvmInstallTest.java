package org.jexecnet.internal.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a worker's JVM can archive, found from its release file without starting it. */
class JvmInstallTest {
    private static final String OTHER_JDK = System.getProperty("jexecnet.otherJava", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @Test
    void theMastersOwnJvmIsFoundWithItsVersionAndArchiveKind() {
        JvmInstall jvm = JvmInstall.current();
        assertEquals(Runtime.version().feature(), jvm.feature());
        assertEquals(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize(), jvm.home().toAbsolutePath().normalize());
        assertEquals(jvm.feature() >= 24 ? ArchiveKind.AOT_CACHE : ArchiveKind.CLASS_DATA, jvm.archiveKind());
        assertTrue(jvm.identity().contains(System.getProperty("java.runtime.version").split("-")[0]), jvm.identity());
    }

    @Test
    void aJava25IsFoundThroughItsLauncherAndMakesAotCaches() {
        assumeTrue(Files.isExecutable(Path.of(OTHER_JDK)), "no second JDK at " + OTHER_JDK);
        JvmInstall jvm = JvmInstall.of(OTHER_JDK);
        assertEquals(25, jvm.feature());
        assertEquals(ArchiveKind.AOT_CACHE, jvm.archiveKind());
    }

    @Test
    void aProgramThatIsNoJvmLauncherGetsNoArchive() {
        assertNull(JvmInstall.of("/bin/sh"), "a shell has no release file beside its bin directory");
        assertNull(JvmInstall.of("/no/such/jdk/bin/java"));
        assertNull(JvmInstall.of("no-such-program-on-the-path"));
    }

    @Test
    void theJvmsComplaintsAboutAnArchiveAreFoundAndTakenOutOfWhatIsShown() {
        String stderr = "[0.020s][warning][cds,dynamic] Unable to use shared archive. The top archive failed to load: /a.jsa\n"
                + "user line\n[0.017s][error  ][aot] An error has occurred while processing the AOT cache.\n[1.0s][info][gc] x\n";
        assertTrue(WorkerArchive.refusedIn(stderr));
        assertEquals("user line\n[1.0s][info][gc] x\n", WorkerArchive.withoutComplaints(stderr));
        assertFalse(WorkerArchive.refusedIn("user line\n[0.1s][warning][gc] something else\n"));
    }
}
