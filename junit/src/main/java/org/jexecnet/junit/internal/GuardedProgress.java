package org.jexecnet.junit.internal;

import java.io.PrintWriter;
import org.jexecnet.junit.TestRunListener;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The caller's progress listener, kept from ending the run when it throws: as the launcher does with its
 * listeners, a failure is reported and the run goes on.
 */
final class GuardedProgress implements TestRunListener {
    private final TestRunListener listener;
    private final PrintWriter warnings;

    GuardedProgress(TestRunListener listener, PrintWriter warnings) {
        this.listener = listener;
        this.warnings = warnings;
    }

    private void guarded(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            warnings.println("jexecnet test: the progress listener failed (" + listener.getClass().getName() + "): " + e);
            warnings.flush();
        }
    }

    @Override
    public void classPathShipped(String worker, int files, long bytes) {
        guarded(() -> listener.classPathShipped(worker, files, bytes));
    }

    @Override
    public void workerReady(String worker, String runtime) {
        guarded(() -> listener.workerReady(worker, runtime));
    }

    @Override
    public void discovered(String worker, TestPlan plan) {
        guarded(() -> listener.discovered(worker, plan));
    }

    @Override
    public void testStarted(String worker, TestIdentifier test) {
        guarded(() -> listener.testStarted(worker, test));
    }

    @Override
    public void testFinished(String worker, TestIdentifier test, TestExecutionResult result) {
        guarded(() -> listener.testFinished(worker, test, result));
    }

    @Override
    public void testSkipped(String worker, TestIdentifier test, String reason) {
        guarded(() -> listener.testSkipped(worker, test, reason));
    }

    @Override
    public void workerCrashed(String worker, String cause, boolean replaced) {
        guarded(() -> listener.workerCrashed(worker, cause, replaced));
    }
}
