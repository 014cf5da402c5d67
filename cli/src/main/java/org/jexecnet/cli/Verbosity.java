package org.jexecnet.cli;

import picocli.CommandLine.Option;

/** {@code -v}: the stack trace behind an error, which the error handler prints. */
final class Verbosity {
    @Option(names = "-v", description = "On failure, print the remote (or local) stack trace too.")
    boolean verbose;
}
