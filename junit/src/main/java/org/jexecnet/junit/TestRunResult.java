package org.jexecnet.junit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The exit code the Console Launcher would give: 0 when all went well, 1 when a test or container
     * failed, 2 when no test was found and that counts as failing.
     *
     * @param failIfNoTests whether finding no test is a failure ({@code --fail-if-no-tests})
     * @return the code
     */
    public int exitCode(boolean failIfNoTests) {
        if (failIfNoTests && testsFoundCount() == 0) {
            return 2;
        }
        return totalFailureCount() == 0 ? 0 : 1;
    }
}
