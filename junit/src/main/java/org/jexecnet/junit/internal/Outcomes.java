package org.jexecnet.junit.internal;

import java.util.HashMap;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** What became of each test and container, for the tree printed once the run is over. */
final class Outcomes implements TestExecutionListener {
    private final Map<String, TestExecutionResult> results = new HashMap<>();
    private final Map<String, String> skipped = new HashMap<>();

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        results.put(identifier.getUniqueId(), result);
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        skipped.put(identifier.getUniqueId(), reason == null ? "" : reason);
    }

    /** Its result, or null when it did not finish (it was skipped, or never ran). */
    TestExecutionResult result(TestIdentifier identifier) {
        return results.get(identifier.getUniqueId());
    }

    /** Why it was skipped, or null when it was not. */
    String skipReason(TestIdentifier identifier) {
        return skipped.get(identifier.getUniqueId());
    }
}
