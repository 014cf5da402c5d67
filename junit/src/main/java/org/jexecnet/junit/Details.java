package org.jexecnet.junit;

/**
 * What is printed once the tests have run, as the Console Launcher's {@code --details}. Live progress
 * is a {@link TestRunListener}'s business.
 */
public enum Details {
    /** Only failures, and then the summary. */
    NONE,
    /** The summary, failures first. */
    SUMMARY,
    /** Every test on a line of its own with its result, then the summary. */
    FLAT,
    /** The tree of containers and tests with their results, then failures and the summary. */
    TREE,
    /** As {@link #TREE}: the tree shows what the Console Launcher's verbose mode shows that matters here. */
    VERBOSE,
    /** As {@link #NONE}: the test feed is the live progress, which the command line prints as tests finish. */
    TESTFEED
}
