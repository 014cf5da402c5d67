package org.jexecnet.conformance;

import org.jexecnet.testing.PythonExecnet;

/**
 * The kinds of gateway execnet's {@code gw} fixture runs each test on (conftest.py), plus execnet's
 * own Python worker: the code a test sends is Java for the JVM kinds and the execnet test's Python
 * source for {@link #PYTHON}.
 */
public enum Kind {
    /** {@code popen}: a child JVM. */
    POPEN("popen"),
    /** {@code socket//installvia=}: a one-client socket server started on another popen gateway. */
    SOCKET("socket"),
    /** {@code popen//via=}: a JVM started from another popen gateway, its bytes relayed (execnet's "proxy"). */
    VIA("via"),
    /** {@code ssh=}: a JVM reached through a private sshd on a loopback port. */
    SSH("ssh"),
    /** {@code popen//python=}: Python execnet's own worker, running Python source. */
    PYTHON("python");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    /** Whether the gateway runs Python source (execnet's worker) rather than Java. */
    public boolean python() {
        return this == PYTHON;
    }

    /** The spec of a fresh gateway of this worker language, for tests that make their own: popen of a JVM or of Python. */
    public String popenSpec() {
        return python() ? "popen//python=" + PythonExecnet.interpreter() : "popen";
    }

    /** The name in test names and in the report: {@code popen}, {@code socket}, {@code via}, {@code ssh}, {@code python}. */
    @Override
    public String toString() {
        return label;
    }
}
