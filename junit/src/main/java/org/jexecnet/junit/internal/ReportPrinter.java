package org.jexecnet.junit.internal;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.jexecnet.junit.Details;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * What the Console Launcher prints once the tests have run, for a lane: the tree (or a flat list) of
 * results in plan order, which the workers' interleaving cannot scramble since it is printed at the
 * end; then the failures and the summary, by the JUnit Platform's own {@link TestExecutionSummary}.
 */
final class ReportPrinter {
    /** The tree's tiles: ASCII, or the box-drawing characters where the output is UTF-8. */
    private record Theme(String root, String vertical, String entry, String end, String ok, String aborted, String failed, String skipped) {
        static Theme forOutput() {
            return Charset.defaultCharset().equals(StandardCharsets.UTF_8)
                    ? new Theme("╷", "│  ", "├─", "└─", "✔", "■", "✘", "↷")
                    : new Theme(".", "| ", "+--", "'--", "[OK]", "[A]", "[X]", "[S]");
        }

        String blank() {
            return " ".repeat(vertical.length());
        }
    }

    private final PrintWriter out;
    private final Details details;
    private final Theme theme = Theme.forOutput();

    ReportPrinter(PrintWriter out, Details details) {
        this.out = out;
        this.details = details;
    }

    void print(Lane lane, String heading) {
        TestExecutionSummary summary = lane.summary().getSummary();
        if (heading != null) {
            out.println();
            out.println(heading);
        }
        MirrorPlan plan = lane.plan();
        if (plan != null && (details == Details.TREE || details == Details.VERBOSE)) {
            out.println(theme.root());
            Iterator<TestIdentifier> roots = plan.plan().getRoots().iterator();
            while (roots.hasNext()) {
                tree(plan.plan(), lane.outcomes(), roots.next(), "", roots.hasNext());
            }
        } else if (plan != null && details == Details.FLAT) {
            for (TestIdentifier root : plan.plan().getRoots()) {
                flat(plan.plan(), lane.outcomes(), root);
            }
        }
        if (details != Details.FLAT && details != Details.VERBOSE) {
            summary.printFailuresTo(out);
        }
        summary.printTo(out);
        out.flush();
    }

    private void tree(TestPlan plan, Outcomes outcomes, TestIdentifier node, String indent, boolean more) {
        out.print(indent + (more ? theme.entry() : theme.end()) + " " + node.getDisplayName());
        String below = indent + (more ? theme.vertical() : theme.blank());
        printOutcome(outcomes, node, below + theme.blank());
        out.println();
        Iterator<TestIdentifier> children = plan.getChildren(node).iterator();
        while (children.hasNext()) {
            tree(plan, outcomes, children.next(), below, children.hasNext());
        }
    }

    private void flat(TestPlan plan, Outcomes outcomes, TestIdentifier node) {
        if (node.isTest() || outcomes.skipReason(node) != null || failed(outcomes.result(node))) {
            out.print(node.getUniqueId());
            printOutcome(outcomes, node, "    ");
            out.println();
        }
        for (TestIdentifier child : plan.getChildren(node)) {
            flat(plan, outcomes, child);
        }
    }

    private static boolean failed(TestExecutionResult result) {
        return result != null && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
    }

    /** The icon, and the reason or the failure's message, its further lines indented below. */
    private void printOutcome(Outcomes outcomes, TestIdentifier node, String indent) {
        String reason = outcomes.skipReason(node);
        TestExecutionResult result = outcomes.result(node);
        String message = null;
        if (reason != null) {
            out.print(" " + theme.skipped());
            message = reason;
        } else if (result != null) {
            out.print(" " + switch (result.getStatus()) {
                case SUCCESSFUL -> theme.ok();
                case ABORTED -> theme.aborted();
                case FAILED -> theme.failed();
            });
            message = result.getThrowable().map(t -> t.getMessage() == null || t.getMessage().isBlank() ? t.toString() : t.getMessage())
                    .orElse(null);
        }
        if (message != null && !message.isBlank()) {
            String[] lines = message.split("\\R");
            out.print(" " + lines[0]);
            for (int i = 1; i < lines.length; i++) {
                out.println();
                out.print(indent + lines[i]);
            }
        }
    }
}
