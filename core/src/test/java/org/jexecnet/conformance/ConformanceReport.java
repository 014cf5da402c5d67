package org.jexecnet.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Counts the conformance tests (execnet's suite, translated) by gateway kind and prints a table of
 * passed, skipped and failed when the run ends, with every skipped test and its reason, so that the
 * output of {@code ./scripts/test.sh} shows how much of execnet's suite each kind passes. The table
 * also goes to {@code target/conformance-report.txt}. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}; silent when a run has no
 * conformance test.
 */
public final class ConformanceReport implements TestExecutionListener {
    private static final String PACKAGE = ConformanceReport.class.getPackageName();
    private static final Pattern KIND = Pattern.compile("\\[(popen|socket|via|ssh|python)]$");
    /** Tests that make their own gateways, or none. */
    private static final String OTHER = "(own)";

    private static final class Counts {
        int passed;
        int skipped;
        int failed;
    }

    private final Map<String, Counts> byKind = new LinkedHashMap<>();
    private final List<String> skips = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private TestPlan plan;

    public ConformanceReport() {
        for (Kind kind : Kind.values()) {
            byKind.put(kind.toString(), new Counts());
        }
        byKind.put(OTHER, new Counts());
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier test, String reason) {
        if (isConformance(test)) {
            // A skipped container (a test disabled on every kind) counts once, under its own row.
            counts(test).skipped++;
            skips.add(name(test) + ": " + reason);
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!test.isTest() || !isConformance(test)) {
            return;
        }
        Counts counts = counts(test);
        switch (result.getStatus()) {
            case SUCCESSFUL -> counts.passed++;
            case ABORTED -> {
                counts.skipped++;
                skips.add(name(test) + ": " + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
            }
            case FAILED -> {
                counts.failed++;
                failures.add(name(test) + ": " + result.getThrowable().map(Throwable::toString).orElse("failed"));
            }
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        int total = byKind.values().stream().mapToInt(c -> c.passed + c.skipped + c.failed).sum();
        if (total == 0) {
            return;
        }
        StringBuilder out = new StringBuilder("\nexecnet conformance (execnet's testing/ suite, translated), by gateway kind:\n");
        out.append(String.format("  %-8s %7s %8s %7s%n", "kind", "passed", "skipped", "failed"));
        Counts sum = new Counts();
        byKind.forEach((kind, c) -> {
            out.append(String.format("  %-8s %7d %8d %7d%n", kind, c.passed, c.skipped, c.failed));
            sum.passed += c.passed;
            sum.skipped += c.skipped;
            sum.failed += c.failed;
        });
        out.append(String.format("  %-8s %7d %8d %7d%n", "total", sum.passed, sum.skipped, sum.failed));
        out.append("  (own): tests that make their own gateways, or need none. Skipped, with the reason"
                + " (docs/from-execnet.md explains each):\n");
        skips.forEach(s -> out.append("    ").append(s).append('\n'));
        if (!failures.isEmpty()) {
            out.append("  FAILED:\n");
            failures.forEach(f -> out.append("    ").append(f).append('\n'));
        }
        System.out.print(out);
        System.out.flush();
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve("conformance-report.txt"), out.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean isConformance(TestIdentifier test) {
        return test.getUniqueId().contains("[class:" + PACKAGE + ".");
    }

    private Counts counts(TestIdentifier test) {
        Matcher kind = KIND.matcher(test.getDisplayName());
        return byKind.get(kind.find() ? kind.group(1) : OTHER);
    }

    /** {@code ExecnetChannelTest > TestChannelFile > test_channel_file_write [popen]}. */
    private String name(TestIdentifier test) {
        List<String> parts = new ArrayList<>();
        for (TestIdentifier at = test; at != null; at = plan == null ? null : plan.getParent(at).orElse(null)) {
            if (at.getSource().isPresent()) {
                String display = at.getDisplayName();
                if (at.getSource().get() instanceof MethodSource method && !display.startsWith("[")) {
                    display = method.getMethodName();
                }
                parts.add(0, display);
            }
        }
        return String.join(" > ", parts);
    }
}
