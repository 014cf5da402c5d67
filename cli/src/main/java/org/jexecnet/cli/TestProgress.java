package org.jexecnet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jexecnet.junit.TestRunListener;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Live progress of {@code jexecnet test}: a line per test as pytest-xdist prints them
 * ({@code [gw0] PASSED FooTest > bar()}), or a bar that counts tests, with the failures so far. Crashed
 * workers are said either way. The count grows as parameterized and dynamic tests register.
 */
final class TestProgress implements TestRunListener, AutoCloseable {
    private final PrintWriter out;
    private final boolean bar;
    private final List<TestPlan> plans = new ArrayList<>();
    private long total;
    private long done;
    private long failed;
    private ProgressBar progressBar;

    TestProgress(PrintWriter out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    @Override
    public void classPathShipped(String worker, int files, long bytes) {
        if (!bar) {
            line("[" + worker + "] class path: " + (files == 0 ? "up to date on its host" : files + " files, " + bytes / 1024 + " KiB shipped"));
        }
    }

    @Override
    public void discovered(String worker, TestPlan plan) {
        plans.add(plan);
        total += plan.countTestIdentifiers(TestIdentifier::isTest);
        if (bar) {
            if (progressBar == null) {
                progressBar = new ProgressBarBuilder().setTaskName("tests").setInitialMax(total).setStyle(ProgressBarStyle.ASCII).build();
            } else {
                progressBar.maxHint(total);
            }
        }
    }

    @Override
    public void testFinished(String worker, TestIdentifier test, TestExecutionResult result) {
        String status = switch (result.getStatus()) {
            case SUCCESSFUL -> "PASSED";
            case ABORTED -> "ABORTED";
            case FAILED -> "FAILED";
        };
        if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            failed++;
        }
        String why = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? ""
                : result.getThrowable().map(t -> " - " + firstLine(String.valueOf(t))).orElse("");
        step(worker, test, status, why);
    }

    @Override
    public void testSkipped(String worker, TestIdentifier test, String reason) {
        step(worker, test, "SKIPPED", reason == null || reason.isBlank() ? "" : " - " + firstLine(reason));
    }

    @Override
    public void workerCrashed(String worker, String cause, boolean replaced) {
        String line = "[" + worker + "] CRASHED: " + cause + (replaced ? "; replacing it" : "; no restart left (--max-worker-restart)");
        if (progressBar != null) {
            progressBar.setExtraMessage(line);
        } else {
            line(line);
        }
    }

    private void step(String worker, TestIdentifier test, String status, String why) {
        TestPlan plan = plan(test);
        done += test.isTest() ? 1 : plan == null ? 0 : plan.getDescendants(test).stream().filter(TestIdentifier::isTest).count();
        if (progressBar != null) {
            if (done > total) {
                total = done;
                progressBar.maxHint(total);
            }
            progressBar.stepTo(done);
            progressBar.setExtraMessage(failed == 0 ? "" : failed + " failed");
        } else if (!bar) {
            line("[" + worker + "] " + status + " " + path(plan, test) + why);
        }
    }

    /** The plan the test belongs to: the one of its engine, the first of several (in each mode, all are of one suite). */
    private TestPlan plan(TestIdentifier test) {
        for (TestPlan plan : plans) {
            if (plan.getRoots().stream().anyMatch(root -> test.getUniqueIdObject().hasPrefix(root.getUniqueIdObject()))) {
                return plan;
            }
        }
        return null;
    }

    /** The test's display names from its class down, as the Console Launcher's test feed shows it. */
    private static String path(TestPlan plan, TestIdentifier test) {
        List<String> names = new ArrayList<>();
        try {
            for (TestIdentifier node = test; node != null && node.getParentIdObject().isPresent(); node = plan.getParent(node).orElse(null)) {
                names.add(0, node.getDisplayName());
            }
        } catch (RuntimeException elsewhere) {
            // in each mode, a dynamic container registered in another gateway's plan: the names found so far will do
        }
        return names.isEmpty() ? test.getDisplayName() : String.join(" > ", names);
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("");
    }

    private void line(String text) {
        out.println(text);
        out.flush();
    }

    @Override
    public void close() {
        if (progressBar != null) {
            progressBar.close();
        }
    }
}
