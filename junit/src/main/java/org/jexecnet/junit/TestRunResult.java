package org.jexecnet.junit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * What a distributed run came to: the JUnit Platform's summary of each part of it (the whole suite in
 * {@link Distribution#LOAD}, each gateway's run in {@link Distribution#EACH}) and the workers that crashed.
 */
public final class TestRunResult {
    private final Map<String, TestExecutionSummary> summaries;
    private final List<String> crashes;

    /**
     * Creates a result.
     *
     * @param summaries the summaries, keyed {@code "load"} in load mode and by gateway id in each mode
     * @param crashes a line per crashed worker
     */
    public TestRunResult(Map<String, TestExecutionSummary> summaries, List<String> crashes) {
        this.summaries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(summaries));
        this.crashes = List.copyOf(crashes);
    }

    /**
     * The summaries, as the Console Launcher prints them with {@code TestExecutionSummary.printTo}.
     *
     * @return the summaries, keyed {@code "load"} in load mode and by gateway id in each mode
     */
    public Map<String, TestExecutionSummary> summaries() {
        return summaries;
    }

    /**
     * The workers that crashed, a line each: which, while running what, and why.
     *
     * @return the lines, in the order the crashes happened
     */
    public List<String> crashes() {
        return crashes;
    }

    /**
     * Failed tests and containers, over all summaries.
     *
     * @return the count
     */
    public long totalFailureCount() {
        return summaries.values().stream().mapToLong(TestExecutionSummary::getTotalFailureCount).sum();
    }

    /**
     * Tests found, over all summaries.
     *
     * @return the count
     */
    public long testsFoundCount() {
        return summaries.values().stream().mapToLong(TestExecutionSummary::getTestsFoundCount).sum();
    }

    /** What finding no test at all counts as, for {@link #exitCode(NoTests)}. */
    public enum NoTests {
        /** Nothing to run is no failure: the Console Launcher's default. */
        PASS,
        /** Nothing to run fails, with exit code 2: the Console Launcher's {@code --fail-if-no-tests}. */
        FAIL
    }

    /**
     * The exit code the Console Launcher would give by default: 0 when all went well (or nothing was
     * found), 1 when a test or container failed.
     *
     * @return the code
     */
    public int exitCode() {
        return exitCode(NoTests.PASS);
    }

    /**
     * The exit code the Console Launcher would give: 0 when all went well, 1 when a test or container
     * failed, 2 when no test was found and that counts as failing.
     *
     * @param noTests what finding no test counts as
     * @return the code
     */
    public int exitCode(NoTests noTests) {
        Objects.requireNonNull(noTests, "noTests is null: give TestRunResult.NoTests.PASS or FAIL");
        if (noTests == NoTests.FAIL && testsFoundCount() == 0) {
            return 2;
        }
        return totalFailureCount() == 0 ? 0 : 1;
    }
}
