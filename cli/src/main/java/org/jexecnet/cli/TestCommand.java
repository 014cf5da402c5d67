package org.jexecnet.cli;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jexecnet.Group;
import org.jexecnet.junit.Details;
import org.jexecnet.junit.DistributedTests;
import org.jexecnet.junit.Distribution;
import org.jexecnet.junit.TestRunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jexecnet test}: a JUnit Platform suite over worker JVMs, local and remote. Its options are the
 * Console Launcher's where the two overlap, and pytest-xdist's for the workers; its exit codes are the
 * Console Launcher's.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = -1, exitCodeOnExecutionException = -1,
        description = {"Run a JUnit Platform test suite over worker JVMs, here and on other hosts, as pytest-xdist runs pytest's:"
                + " test classes go to idle workers longest first (by the durations of earlier runs), crashed workers are"
                + " replaced, and the results read as the Console Launcher's.",
                "Example, after Maven listed the tests' dependencies in cp.txt:",
                "  mvn dependency:build-classpath -Dmdep.outputFile=cp.txt",
                "  jexecnet test -n 2 --scan-class-path target/test-classes \\",
                "    -cp target/test-classes:target/classes:$(cat cp.txt)",
                "Exit codes: 0 all passed, 1 a test or container failed, 2 no tests found (with --fail-if-no-tests), -1 (255) an"
                        + " invalid option or a run that could not start."})
final class TestCommand implements Callable<Integer> {
    private static final Pattern COUNTED_SPEC = Pattern.compile("(\\d+)\\*(.+)");

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = {"-cp", "--class-path", "--classpath"}, paramLabel = "PATH", description = "The test class path: the tests, what they use,"
            + " and their test engines; entries separated by ':'. Repeatable.")
    List<String> classPath = new ArrayList<>();

    @Option(names = {"--scan-class-path", "--scan-classpath"}, paramLabel = "PATH", arity = "0..1", fallbackValue = "",
            description = "Scan the whole class path for tests, or the class path entries given. Repeatable.")
    List<String> scan = new ArrayList<>();

    @Option(names = "--select-class", paramLabel = "CLASS", description = "A class to run. Repeatable.")
    List<String> classes = new ArrayList<>();

    @Option(names = "--select-package", paramLabel = "PKG", description = "A package to run, with its subpackages. Repeatable.")
    List<String> packages = new ArrayList<>();

    @Option(names = "--select-method", paramLabel = "NAME", description = "A method to run, as com.acme.FooTest#bar. Repeatable.")
    List<String> methods = new ArrayList<>();

    @Option(names = "--select-unique-id", paramLabel = "UID", description = "A test or container to run, by unique id. Repeatable.")
    List<String> uniqueIds = new ArrayList<>();

    @Option(names = "--include-classname", paramLabel = "PATTERN", description = {"A regular expression for the class names to run when"
            + " scanning. Repeatable. By default, the Console Launcher's:", "  " + DistributedTests.STANDARD_INCLUDE_PATTERN})
    List<String> includeClassNames = new ArrayList<>();

    @Option(names = "--exclude-classname", paramLabel = "PATTERN", description = "A regular expression for class names to leave out. Repeatable.")
    List<String> excludeClassNames = new ArrayList<>();

    @Option(names = "--include-tag", paramLabel = "TAG", description = "A tag expression a test must match. Repeatable.")
    List<String> includeTags = new ArrayList<>();

    @Option(names = "--exclude-tag", paramLabel = "TAG", description = "A tag expression that leaves a test out. Repeatable.")
    List<String> excludeTags = new ArrayList<>();

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A configuration parameter for discovery and execution. Repeatable.")
    Map<String, String> configuration = new LinkedHashMap<>();

    @Option(names = "--reports-dir", paramLabel = "DIR", description = "Write legacy XML reports (TEST-<engine>.xml) there; with --dist each,"
            + " a directory per gateway.")
    Path reportsDir;

    @Option(names = "--details", paramLabel = "MODE", defaultValue = "tree", description = "What to print once the tests ran: none, summary,"
            + " flat, tree, verbose or testfeed (default: ${DEFAULT-VALUE}).")
    String details;

    @Option(names = "--fail-if-no-tests", description = "Exit with 2 when no test is found.")
    boolean failIfNoTests;

    @Option(names = "-n", paramLabel = "N", description = "N local worker JVMs, or 'auto' for one per core (the default without --tx).")
    String workers;

    @Option(names = "--tx", paramLabel = "SPEC", description = "A gateway spec to run tests on, as N*SPEC for N of them:"
            + " --tx 2*popen --tx 'ssh=build7//java=/opt/jdk21/bin/java'. Repeatable.")
    List<String> gateways = new ArrayList<>();

    @Option(names = "--dist", paramLabel = "MODE", defaultValue = "load", description = "load: each test class runs once, on a free worker;"
            + " each: the whole suite runs on every gateway (default: ${DEFAULT-VALUE}).")
    String dist;

    @Option(names = "--max-worker-restart", paramLabel = "N", description = "How many crashed workers to replace (default: 4 per gateway).")
    Integer maxWorkerRestart;

    @Option(names = {"--last-failed", "--lf"}, description = "Run only the tests that failed last time, or all when none did.")
    boolean lastFailed;

    @Option(names = "--history-dir", paramLabel = "DIR", defaultValue = ".jexecnet", description = "Where durations, locality and failures are kept"
            + " between runs (default: ${DEFAULT-VALUE}).")
    Path historyDir;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "Live progress: lines ([gw0] PASSED ...), bar,"
            + " none, or auto: a bar on a terminal, else lines (default: ${DEFAULT-VALUE}).")
    String progress;

    @Override
    public Integer call() throws InterruptedException {
        Details shown = choice(Details.class, "--details", details);
        Distribution distribution = choice(Distribution.class, "--dist", dist);
        String mode = progress.toLowerCase(Locale.ROOT);
        if (!List.of("auto", "bar", "lines", "none").contains(mode)) {
            throw new IllegalArgumentException("--progress " + progress + ": choose auto, bar, lines or none");
        }
        boolean bar = mode.equals("bar") || mode.equals("auto") && System.console() != null && shown != Details.TESTFEED;
        List<String> specs = specs();
        PrintWriter out = spec.commandLine().getOut();

        DistributedTests.Builder builder = DistributedTests.builder().classPath(entries(classPath)).selectClasses(classes)
                .selectPackages(packages).selectMethods(methods).selectUniqueIds(uniqueIds).includeClassNames(includeClassNames)
                .excludeClassNames(excludeClassNames).includeTags(includeTags).excludeTags(excludeTags).configuration(configuration)
                .distribution(distribution).historyDir(historyDir).lastFailed(lastFailed).reportsDir(reportsDir).output(out, shown);
        if (scan.contains("")) {
            builder.scanClassPath();
        }
        builder.scanClassPathRoots(entries(scan.stream().filter(s -> !s.isEmpty()).toList()));
        if (maxWorkerRestart != null) {
            builder.maxWorkerRestarts(maxWorkerRestart);
        }
        try (TestProgress live = mode.equals("none") ? null : new TestProgress(out, bar); Group group = new Group(specs)) {
            if (live != null) {
                builder.progress(live);
            }
            TestRunResult result = builder.build().run(group);
            return result.exitCode(failIfNoTests ? TestRunResult.NoTests.FAIL : TestRunResult.NoTests.PASS);
        }
    }

    /** The gateways: each --tx (N*SPEC as N of it), then -n popen workers; one popen per core when neither is given. */
    private List<String> specs() {
        List<String> specs = new ArrayList<>();
        for (String tx : gateways) {
            Matcher counted = COUNTED_SPEC.matcher(tx);
            if (counted.matches()) {
                int n = Integer.parseInt(counted.group(1));
                if (n < 1 || n > 256) {
                    throw new IllegalArgumentException("--tx " + tx + ": the count must be 1 to 256");
                }
                specs.addAll(Collections.nCopies(n, counted.group(2)));
            } else {
                specs.add(tx);
            }
        }
        if (workers != null || specs.isEmpty()) {
            int n;
            if (workers == null || workers.equals("auto")) {
                n = Runtime.getRuntime().availableProcessors();
            } else {
                try {
                    n = Integer.parseInt(workers);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("-n " + workers + ": give a number of workers or 'auto'");
                }
                if (n < 1 || n > 256) {
                    throw new IllegalArgumentException("-n " + workers + ": give 1 to 256 workers, or 'auto'");
                }
            }
            specs.addAll(Collections.nCopies(n, "popen"));
        }
        return specs;
    }

    private static List<Path> entries(List<String> paths) {
        List<Path> entries = new ArrayList<>();
        for (String path : paths) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    entries.add(Path.of(entry));
                }
            }
        }
        return entries;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + value + ": choose one of "
                    + List.of(type.getEnumConstants()).stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }
}
