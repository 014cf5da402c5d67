package org.jexecnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code jexecnet test} as a user drives it, on the fixture suite (junit/fixture) over real worker JVMs. */
@ExtendWith(NoLeftoverWorkers.class)
@Timeout(180)
class TestCommandTest {
    private static String classes() {
        return System.getProperty("fixture.classes");
    }

    /** The fixture's classes and the class path Maven resolved for it (its engine, no launcher). */
    private static String classPath() throws IOException {
        return classes() + File.pathSeparator + Files.readString(Path.of(System.getProperty("fixture.classpath"))).strip();
    }

    @Test
    void runsTheSuiteOnTwoWorkersWithLiveLinesTheTreeTheSummaryAndReports(@TempDir Path dir) throws IOException {
        CliTest.Run run = CliTest.run("test", "-n", "2", "-cp", classPath(), "--scan-class-path", classes(), "--reports-dir", dir.resolve("reports").toString(),
                "--history-dir", dir.resolve("history").toString(), "--progress", "lines");
        assertEquals(1, run.code(), "exit code 1: tests failed\n" + run.out() + run.err());
        String out = run.out();
        assertTrue(out.contains("] PASSED PassingTest > repeats() > repetition 2 of 3\n"), out);
        assertTrue(out.contains("] FAILED FailingTest > assertionFails() - org.opentest4j.AssertionFailedError: one is not two"), out);
        assertTrue(out.contains("] SKIPPED SkippedTest > disabled() - not today\n"), out);
        assertTrue(out.contains("[gw0] ") && out.contains("[gw1] "), out);
        assertTrue(out.contains("└─ JUnit Jupiter") || out.contains("'-- JUnit Jupiter"), out);
        assertTrue(out.contains("[        33 tests found           ]") && out.contains("[         3 tests failed          ]"), out);
        assertTrue(Files.isRegularFile(dir.resolve("reports/TEST-junit-jupiter.xml")));
        assertTrue(Files.isRegularFile(dir.resolve("history/durations.tsv")));
    }

    @Test
    void eachRunsTheSuiteOnEveryGatewayAndSaysWhichIsWhich(@TempDir Path dir) throws IOException {
        CliTest.Run run = CliTest.run("test", "--tx", "2*popen", "--dist", "each", "-cp", classPath(), "--select-class", "org.jexecnet.junit.fixture.PassingTest",
                "--details", "summary", "--progress", "none", "--history-dir", dir.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("gw0 (Java ") && run.out().contains("gw1 (Java "), run.out());
        assertEquals(2, run.out().split("\\[ +5 tests successful +\\]", -1).length - 1, run.out());
    }

    @Test
    void exitCodesAreTheConsoleLaunchers(@TempDir Path dir) throws IOException {
        CliTest.Run none = CliTest.run("test", "-n", "1", "-cp", classPath(), "--scan-class-path", classes(), "--include-classname", "NoSuchClass",
                "--fail-if-no-tests", "--details", "none", "--progress", "none", "--history-dir", dir.toString());
        assertEquals(2, none.code(), none.out() + none.err());

        CliTest.Run badDist = CliTest.run("test", "--dist", "sideways", "-cp", classes(), "--scan-class-path");
        assertEquals(-1, badDist.code());
        assertEquals("jexecnet test: --dist sideways: choose one of [load, each]\n", badDist.err());
        CliTest.Run badTx = CliTest.run("test", "--tx", "0*popen", "-cp", classes(), "--scan-class-path");
        assertEquals(-1, badTx.code());
        assertTrue(badTx.err().contains("--tx 0*popen: the count must be 1 to 256"), badTx.err());
        CliTest.Run unknown = CliTest.run("test", "--no-such-option");
        assertEquals(-1, unknown.code());
    }
}
