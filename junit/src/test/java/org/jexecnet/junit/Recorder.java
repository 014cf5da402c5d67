package org.jexecnet.junit;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestIdentifier;

/** Keeps what a run's progress listener was told, for the tests to look at afterwards. */
class Recorder implements TestRunListener {
    /** A test that finished: where, what, and how. */
    record Finished(String worker, TestIdentifier test, TestExecutionResult result) {
        String className() {
            return test.getSource().map(source -> source instanceof org.junit.platform.engine.support.descriptor.MethodSource m
                    ? m.getClassName() : source.toString()).orElse("");
        }
    }

    /** Shipped files by worker, in the order the workers reported. */
    record Shipped(String worker, int files, long bytes) {}

    final List<Finished> finished = new ArrayList<>();
    final List<Shipped> shipped = new ArrayList<>();
    final List<String> ready = new ArrayList<>();
    final List<String> crashes = new ArrayList<>();

    @Override
    public void testFinished(String worker, TestIdentifier test, TestExecutionResult result) {
        finished.add(new Finished(worker, test, result));
    }

    @Override
    public void classPathShipped(String worker, int files, long bytes) {
        shipped.add(new Shipped(worker, files, bytes));
    }

    @Override
    public void workerReady(String worker, String runtime) {
        ready.add(worker + " " + runtime);
    }

    @Override
    public void workerCrashed(String worker, String cause, boolean replaced) {
        crashes.add(worker + (replaced ? " replaced: " : " not replaced: ") + cause);
    }

    /** The finished test of this display name; fails when there is not exactly one. */
    Finished test(String displayName) {
        List<Finished> found = finished.stream().filter(f -> f.test().getDisplayName().equals(displayName)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one finished test named " + displayName + ", found " + found);
        }
        return found.get(0);
    }
}
