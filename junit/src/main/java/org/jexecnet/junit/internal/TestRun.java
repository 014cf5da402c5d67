package org.jexecnet.junit.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.junit.Distribution;
import org.jexecnet.junit.TestRunListener;
import org.jexecnet.junit.TestRunResult;
import org.jexecnet.junit.internal.wire.Suite;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/** One run of a {@code DistributedTests}: the settings checked, the lanes made, the session run, the history and the reports written. */
public final class TestRun {
    private TestRun() {}

    /** The configuration parameters that capture each test's stdout and stderr into its report entries. */
    private static final List<String> CAPTURE = List.of("junit.platform.output.capture.stdout", "junit.platform.output.capture.stderr");

    public static TestRunResult run(Group group, Settings settings) throws InterruptedException {
        List<Gateway> gateways = new ArrayList<>();
        group.forEach(gateways::add);
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("the group has no gateways to run tests on");
        }
        List<Path> classPath = new ArrayList<>();
        for (Path entry : settings.classPath()) {
            classPath.add(existing(entry));
        }
        List<String> selectors = new ArrayList<>(settings.selectors());
        boolean scanning = settings.scanClassPath() || !settings.scanRoots().isEmpty();
        if (scanning && !selectors.isEmpty()) {
            throw new IllegalArgumentException("scanning the class path and selecting classes, packages or methods at the same time"
                    + " is not supported, as with the Console Launcher: choose one");
        }
        for (Path root : settings.scanRoots()) {
            Path entry = existing(root);
            if (!classPath.contains(entry)) {
                classPath.add(entry);
            }
            selectors.add("root:" + classPath.indexOf(entry));
        }
        if (settings.scanClassPath() && settings.scanRoots().isEmpty()) {
            for (int i = 0; i < classPath.size(); i++) {
                selectors.add("root:" + i);
            }
        }
        if (classPath.stream().noneMatch(LauncherJar::isIn)) {
            classPath.add(LauncherJar.get());
        }
        History history = settings.historyDir() == null ? History.none() : History.read(settings.historyDir());
        if (settings.lastFailed() && !history.lastFailed().isEmpty()) {
            selectors = history.lastFailed().stream().map(uid -> "uid:" + uid).toList();
        }
        if (selectors.isEmpty()) {
            throw new IllegalArgumentException("nothing to run: select classes, packages or methods, or scan the class path");
        }
        Map<String, String> configuration = new HashMap<>(settings.configuration());
        CAPTURE.forEach(key -> configuration.putIfAbsent(key, "true"));
        List<String> includes = settings.includeClassNames().isEmpty() ? List.of(org.jexecnet.junit.DistributedTests.STANDARD_INCLUDE_PATTERN)
                : settings.includeClassNames();
        Suite suite = new Suite(List.of(), selectors, includes, settings.excludeClassNames(), settings.includeTags(), settings.excludeTags(),
                configuration);

        PrintWriter warnings = settings.out() != null ? settings.out() : new PrintWriter(System.err, true);
        TestRunListener progress = new GuardedProgress(settings.progress(), warnings);
        Map<Gateway, Lane> assignment = new LinkedHashMap<>();
        List<Lane> lanes = new ArrayList<>();
        if (settings.distribution() == Distribution.LOAD) {
            Lane lane = lane("load", settings, progress, configuration, history, settings.reportsDir(), warnings);
            lanes.add(lane);
            gateways.forEach(gateway -> assignment.put(gateway, lane));
        } else {
            for (Gateway gateway : gateways) {
                Path reports = settings.reportsDir() == null ? null : settings.reportsDir().resolve(gateway.id());
                Lane lane = lane(gateway.id(), settings, progress, configuration, history, reports, warnings);
                lanes.add(lane);
                assignment.put(gateway, lane);
            }
        }
        int restarts = settings.maxWorkerRestarts() != null ? settings.maxWorkerRestarts() : 4 * gateways.size();
        new Session(group, lanes, new ClassPaths(classPath), suite, progress, restarts).run(assignment);

        if (settings.historyDir() != null) {
            remember(history, settings.historyDir(), lanes, warnings);
        }
        Map<String, TestExecutionSummary> summaries = new LinkedHashMap<>();
        List<String> crashes = new ArrayList<>();
        ReportPrinter printer = settings.out() == null ? null : new ReportPrinter(settings.out(), settings.details());
        for (Lane lane : lanes) {
            summaries.put(lane.name, lane.summary().getSummary());
            crashes.addAll(lane.crashes());
            if (printer != null) {
                printer.print(lane, settings.distribution() == Distribution.EACH ? lane.name + " (Java " + lane.runtime() + ")" : null);
            }
        }
        return new TestRunResult(summaries, crashes);
    }

    private static Path existing(Path entry) {
        Path absolute = entry.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new IllegalArgumentException("class path entry " + entry + " does not exist");
        }
        return absolute;
    }

    private static Lane lane(String name, Settings settings, TestRunListener progress, Map<String, String> configuration, History history,
            Path reports, PrintWriter warnings) {
        List<TestExecutionListener> listeners = new ArrayList<>(settings.listeners());
        if (reports != null) {
            listeners.add(new LegacyXmlReportGeneratingListener(reports, warnings));
        }
        return new Lane(name, configuration, history, progress, listeners, warnings);
    }

    private static void remember(History history, Path dir, List<Lane> lanes, PrintWriter warnings) {
        Map<String, Double> durations = new HashMap<>();
        History.Locality locality = History.Locality.empty();
        List<String> ran = new ArrayList<>();
        Set<String> failed = new java.util.LinkedHashSet<>();
        for (Lane lane : lanes) {
            durations.putAll(lane.durationsWorthKeeping());
            locality.putAll(lane.locality());
            ran.addAll(lane.ran());
            failed.addAll(lane.failed());
        }
        try {
            history.update(dir, durations, locality, ran, failed);
        } catch (IOException e) {
            warnings.println("jexecnet test: could not write the history to " + dir + ": " + e.getMessage());
        }
    }
}
