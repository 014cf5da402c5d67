package org.jexecnet.junit;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jexecnet.Group;
import org.jexecnet.junit.internal.Settings;
import org.jexecnet.junit.internal.TestRun;
import org.junit.platform.launcher.TestExecutionListener;

/**
 * A JUnit Platform test suite to run over the gateways of a {@link Group}, as pytest-xdist runs a
 * pytest suite over execnet's. For build tools and IDEs; the {@code jexecnet test} command is built on it.
 *
 * <pre>{@code
 * DistributedTests tests = DistributedTests.builder()
 *         .classPath(List.of(Path.of("target/test-classes"), Path.of("target/classes"), junitJupiterEngineJar, ...))
 *         .scanClassPath()
 *         .reportsDir(Path.of("target/test-reports"))
 *         .output(new PrintWriter(System.out, true), Details.TREE)
 *         .build();
 * try (Group group = new Group("popen", "popen", "ssh=build7//java=/opt/jdk21/bin/java")) {
 *     TestRunResult result = tests.run(group);
 *     System.exit(result.exitCode());
 * }
 * }</pre>
 *
 * <p>How it runs: the first worker that is ready discovers the suite with the class path's own engines;
 * the master rebuilds that test plan and hands out its test classes one at a time to whichever worker is
 * idle, longest first by the durations the history directory keeps from earlier runs (a long class whose
 * methods are independent is split over several workers). Every worker runs its classes in one JVM and
 * one launcher session, as Surefire's reused fork does. The events stream back as they happen and become
 * one run's events for the JUnit Platform's listeners on the master: the summary, the legacy XML report,
 * and the {@link TestExecutionListener}s given here.
 *
 * <p>Each worker loads the test class path in a class loader of its own over the JDK, so it sees neither
 * jexecnet nor the master's JUnit. A local ({@code popen}) worker reads the master's files; any other gets
 * them through {@link org.jexecnet.RSync} into a content-addressed cache on its host, which a second run
 * finds up to date. The class path brings its test engines; when it has no JUnit Platform launcher, the
 * master's (version 1.11) is added, which serves engines of Platform 1.11 and later patch releases.
 *
 * <p>A worker that dies (it exits, is killed, runs out of memory) fails the test it was running with a
 * {@link WorkerCrashedException} that says why; a new gateway of its spec takes its place, up to the
 * restarts allowed, and runs the rest of its class first.
 *
 * <p>Instances are immutable; {@link #run(Group)} may be called again.
 */
public final class DistributedTests {
    /** The class names the Console Launcher includes when told none: {@code Test*}, {@code *Test}, {@code *Tests}. */
    public static final String STANDARD_INCLUDE_PATTERN = "^(Test.*|.+[.$]Test.*|.*Tests?)$";

    private final Settings settings;

    private DistributedTests(Settings settings) {
        this.settings = settings;
    }

    /**
     * A builder with nothing selected, load distribution, the standard class-name pattern, and the
     * tests' stdout and stderr captured into their reports.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts from this suite's settings, to run it again with some changed.
     *
     * @return the builder
     */
    public Builder newBuilder() {
        Builder builder = new Builder();
        builder.classPath = settings.classPath();
        builder.selectors = settings.selectors();
        builder.scanRoots = settings.scanRoots();
        builder.scanClassPath = settings.scanClassPath();
        builder.includeClassNames = settings.includeClassNames();
        builder.excludeClassNames = settings.excludeClassNames();
        builder.includeTags = settings.includeTags();
        builder.excludeTags = settings.excludeTags();
        builder.configuration = settings.configuration();
        builder.distribution = settings.distribution();
        builder.maxWorkerRestarts = settings.maxWorkerRestarts();
        builder.historyDir = settings.historyDir();
        builder.lastFailed = settings.lastFailed();
        builder.reportsDir = settings.reportsDir();
        builder.out = settings.out();
        builder.details = settings.details();
        builder.listeners = settings.listeners();
        builder.progress = settings.progress();
        return builder;
    }

    /**
     * Runs the suite on every gateway of the group and returns when it is done. Gateways that replace
     * crashed ones join the group and stay in it, as do the ones given; closing the group is the caller's.
     *
     * @param group JVM gateways (not Python ones)
     * @return the summaries, from which the Console Launcher's exit code follows
     * @throws IllegalArgumentException when the group is empty or has a Python gateway, or a class path
     *     entry does not exist
     * @throws org.jexecnet.ExecnetException when the runner cannot start on a worker for a reason a
     *     restart would not change (its class path entries are not there)
     * @throws InterruptedException when the calling thread is interrupted; the workers are told to stop
     */
    public TestRunResult run(Group group) throws InterruptedException {
        return TestRun.run(group, settings);
    }

    /** Collects what a {@link DistributedTests} runs and how; every method returns the builder. */
    public static final class Builder {
        private List<Path> classPath = List.of();
        private List<String> selectors = List.of();
        private List<Path> scanRoots = List.of();
        private boolean scanClassPath;
        private List<String> includeClassNames = List.of();
        private List<String> excludeClassNames = List.of();
        private List<String> includeTags = List.of();
        private List<String> excludeTags = List.of();
        private Map<String, String> configuration = Map.of();
        private Distribution distribution = Distribution.LOAD;
        private Integer maxWorkerRestarts;
        private Path historyDir;
        private boolean lastFailed;
        private Path reportsDir;
        private PrintWriter out;
        private Details details = Details.NONE;
        private List<TestExecutionListener> listeners = List.of();
        private TestRunListener progress = new TestRunListener() {};

        private Builder() {}

        /**
         * The test class path: the tests, what they use, and their test engines, as the Console
         * Launcher's {@code --class-path}.
         *
         * @param entries directories and jars on this host
         * @return this
         */
        public Builder classPath(List<Path> entries) {
            this.classPath = List.copyOf(entries);
            return this;
        }

        /**
         * Selects classes by name ({@code --select-class}).
         *
         * @param names fully qualified class names
         * @return this
         */
        public Builder selectClasses(List<String> names) {
            return select("class:", names);
        }

        /**
         * Selects packages, with their subpackages ({@code --select-package}).
         *
         * @param names package names
         * @return this
         */
        public Builder selectPackages(List<String> names) {
            return select("package:", names);
        }

        /**
         * Selects methods ({@code --select-method}), as {@code com.acme.FooTest#bar} or
         * {@code com.acme.FooTest#bar(int)}.
         *
         * @param names the methods
         * @return this
         */
        public Builder selectMethods(List<String> names) {
            return select("method:", names);
        }

        /**
         * Selects tests and containers by unique id ({@code --select-unique-id}).
         *
         * @param uniqueIds the ids, such as {@code [engine:junit-jupiter]/[class:com.acme.FooTest]}
         * @return this
         */
        public Builder selectUniqueIds(List<String> uniqueIds) {
            return select("uid:", uniqueIds);
        }

        private Builder select(String kind, List<String> values) {
            List<String> all = new java.util.ArrayList<>(selectors);
            values.forEach(value -> all.add(kind + Objects.requireNonNull(value)));
            this.selectors = List.copyOf(all);
            return this;
        }

        /**
         * Scans the class path's directories for tests, as the Console Launcher's {@code --scan-class-path}
         * without a path.
         *
         * @return this
         */
        public Builder scanClassPath() {
            this.scanClassPath = true;
            return this;
        }

        /**
         * Scans these class path entries (directories or jars) for tests, as {@code --scan-class-path PATH};
         * an entry not on the class path is added to it.
         *
         * @param roots the entries
         * @return this
         */
        public Builder scanClassPathRoots(List<Path> roots) {
            this.scanRoots = List.copyOf(roots);
            return this;
        }

        /**
         * Class names to include when scanning, as regular expressions ({@code --include-classname});
         * by default {@link #STANDARD_INCLUDE_PATTERN}.
         *
         * @param patterns the patterns, of which a class must match one
         * @return this
         */
        public Builder includeClassNames(List<String> patterns) {
            this.includeClassNames = List.copyOf(patterns);
            return this;
        }

        /**
         * Class names to leave out when scanning ({@code --exclude-classname}).
         *
         * @param patterns regular expressions
         * @return this
         */
        public Builder excludeClassNames(List<String> patterns) {
            this.excludeClassNames = List.copyOf(patterns);
            return this;
        }

        /**
         * Tag expressions a test must match ({@code --include-tag}).
         *
         * @param tags the expressions, such as {@code fast} or {@code integration & !slow}
         * @return this
         */
        public Builder includeTags(List<String> tags) {
            this.includeTags = List.copyOf(tags);
            return this;
        }

        /**
         * Tag expressions that leave a test out ({@code --exclude-tag}).
         *
         * @param tags the expressions
         * @return this
         */
        public Builder excludeTags(List<String> tags) {
            this.excludeTags = List.copyOf(tags);
            return this;
        }

        /**
         * Configuration parameters for discovery and execution ({@code --config}). Unless they say
         * otherwise, the tests' stdout and stderr are captured into their reports
         * ({@code junit.platform.output.capture.stdout} and {@code .stderr} are {@code true}).
         *
         * @param parameters the parameters
         * @return this
         */
        public Builder configuration(Map<String, String> parameters) {
            this.configuration = Map.copyOf(parameters);
            return this;
        }

        /**
         * How the tests are spread over the gateways ({@code --dist}).
         *
         * @param distribution load (the default) or each
         * @return this
         */
        public Builder distribution(Distribution distribution) {
            this.distribution = Objects.requireNonNull(distribution);
            return this;
        }

        /**
         * How many crashed workers are replaced in a run ({@code --max-worker-restart}); by default four
         * times the number of gateways, as pytest-xdist does.
         *
         * @param restarts the number, 0 for none
         * @return this
         */
        public Builder maxWorkerRestarts(int restarts) {
            if (restarts < 0) {
                throw new IllegalArgumentException("--max-worker-restart must be 0 or more, not " + restarts);
            }
            this.maxWorkerRestarts = restarts;
            return this;
        }

        /**
         * Where durations and the last run's failures are kept between runs; by default nowhere, so
         * every run orders its classes as a first run does.
         *
         * @param dir the directory, created when missing
         * @return this
         */
        public Builder historyDir(Path dir) {
            this.historyDir = dir;
            return this;
        }

        /**
         * Runs only the tests that failed in the last run the history directory remembers, or all when
         * none did, as pytest's {@code --last-failed}.
         *
         * @param lastFailed whether to
         * @return this
         */
        public Builder lastFailed(boolean lastFailed) {
            this.lastFailed = lastFailed;
            return this;
        }

        /**
         * Writes the legacy XML reports, one {@code TEST-<engine>.xml} per engine, as the Console Launcher's
         * {@code --reports-dir} does; in each mode under a directory per gateway.
         *
         * @param dir the directory, created when missing
         * @return this
         */
        public Builder reportsDir(Path dir) {
            this.reportsDir = dir;
            return this;
        }

        /**
         * Prints the results once the run is over, as the Console Launcher's {@code --details}.
         *
         * @param out where to print
         * @param details how much
         * @return this
         */
        public Builder output(PrintWriter out, Details details) {
            this.out = Objects.requireNonNull(out);
            this.details = Objects.requireNonNull(details);
            return this;
        }

        /**
         * Listeners that get the run's events as from a launcher of their own: a test plan rebuilt on the
         * master, and each test's start and end, once, whatever worker ran it. Called from one thread.
         *
         * @param listeners the listeners
         * @return this
         */
        public Builder listeners(List<TestExecutionListener> listeners) {
            this.listeners = List.copyOf(listeners);
            return this;
        }

        /**
         * What happens on which worker, for live progress.
         *
         * @param listener the listener
         * @return this
         */
        public Builder progress(TestRunListener listener) {
            this.progress = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * The suite to run.
         *
         * @return it
         */
        public DistributedTests build() {
            return new DistributedTests(new Settings(classPath, selectors, scanRoots, scanClassPath, includeClassNames, excludeClassNames,
                    includeTags, excludeTags, configuration, distribution, maxWorkerRestarts, historyDir, lastFailed, reportsDir, out, details,
                    listeners, progress));
        }
    }
}
