package org.jexecnet.junit.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jexecnet.junit.Details;
import org.jexecnet.junit.Distribution;
import org.jexecnet.junit.TestRunListener;
import org.junit.platform.launcher.TestExecutionListener;

/**
 * What a {@code DistributedTests} was built with; see its builder for each.
 *
 * @param classPath the test class path, on the master
 * @param selectors {@code class:}, {@code package:}, {@code method:} or {@code uid:} and a name
 * @param scanRoots class path entries to scan
 * @param scanClassPath whether to scan the whole class path
 * @param includeClassNames class-name patterns to include
 * @param excludeClassNames class-name patterns to leave out
 * @param includeTags tag expressions to include
 * @param excludeTags tag expressions to leave out
 * @param configuration configuration parameters
 * @param distribution load or each
 * @param maxWorkerRestarts how many crashed workers to replace, or null for four per gateway
 * @param historyDir where durations, locality and failures are kept, or null
 * @param lastFailed whether to run only the last run's failures
 * @param reportsDir where the XML reports go, or null
 * @param out where the results are printed, or null
 * @param details how much is printed
 * @param listeners the caller's JUnit listeners
 * @param progress the caller's progress listener
 */
public record Settings(List<Path> classPath, List<String> selectors, List<Path> scanRoots, boolean scanClassPath,
        List<String> includeClassNames, List<String> excludeClassNames, List<String> includeTags, List<String> excludeTags,
        Map<String, String> configuration, Distribution distribution, Integer maxWorkerRestarts, Path historyDir, boolean lastFailed,
        Path reportsDir, PrintWriter out, Details details, List<TestExecutionListener> listeners, TestRunListener progress) {}
