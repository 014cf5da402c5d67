package org.jexecnet.junit;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * What happens on which worker during a distributed run, for live progress ({@code [gw0] PASSED ...}
 * lines, a progress bar). Called from one thread, in the order the master learns of it; each method
 * does nothing by default. For the JUnit Platform's own view, without workers, register a
 * {@code TestExecutionListener} instead.
 */
public interface TestRunListener {

    /**
     * A worker has shipped what it lacked of the test class path: an ssh host's content-addressed cache
     * received these files; a second run with nothing changed ships none.
     *
     * @param worker the gateway id
     * @param files how many files it was sent
     * @param bytes how many bytes travelled for them
     */
    default void classPathShipped(String worker, int files, long bytes) {}

    /**
     * A worker's runner is up.
     *
     * @param worker the gateway id
     * @param runtime its Java runtime version
     */
    default void workerReady(String worker, String runtime) {}

    /**
     * A worker discovered the suite; in {@link Distribution#EACH} every gateway does.
     *
     * @param worker the gateway id
     * @param plan the plan, whose {@code countTestIdentifiers(TestIdentifier::isTest)} is the number of tests
     */
    default void discovered(String worker, TestPlan plan) {}

    /**
     * A test started.
     *
     * @param worker the gateway id
     * @param test the test
     */
    default void testStarted(String worker, TestIdentifier test) {}

    /**
     * A test finished, or a container failed or was aborted.
     *
     * @param worker the gateway id
     * @param test the test or container
     * @param result its result
     */
    default void testFinished(String worker, TestIdentifier test, TestExecutionResult result) {}

    /**
     * A test or container was skipped.
     *
     * @param worker the gateway id
     * @param test the test or container
     * @param reason why
     */
    default void testSkipped(String worker, TestIdentifier test, String reason) {}

    /**
     * A worker died, or stopped being trusted after an error the JUnit Platform does not recover from.
     *
     * @param worker the gateway id
     * @param cause a line that says what it was running and what is known of why
     * @param replaced whether a new gateway of the same spec is starting in its place ({@code --max-worker-restart})
     */
    default void workerCrashed(String worker, String cause, boolean replaced) {}
}
