package org.jexecnet.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jexecnet.Group;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The fixture suite over real worker JVMs, reported as the Console Launcher and Surefire report it. */
@ExtendWith(NoLeftoverWorkers.class)
@Timeout(180)
class DistributedRunTest {
    private static final String FIXTURE = "org.jexecnet.junit.fixture.";

    private static DistributedTests.Builder wholeSuite() {
        return DistributedTests.builder().classPath(Fixture.classPath()).scanClassPathRoots(List.of(Fixture.classes()));
    }

    @Test
    void countsAsOneJvmAndReportsAsTheConsoleLauncherAndSurefire(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        Recorder progress = new Recorder();
        TestRunResult result;
        try (Group group = new Group("popen", "popen")) {
            result = wholeSuite().reportsDir(dir).output(new PrintWriter(out, true), Details.TREE).progress(progress).build().run(group);
        }
        TestExecutionSummary summary = result.summaries().get("load");
        TestExecutionSummary oneJvm = runInThisJvm();
        assertEquals(List.of(33L, 20L, 3L, 1L, 9L, 0L), counts(summary), out.toString());
        assertEquals(counts(oneJvm), counts(summary), "the launcher in one JVM counts differently");
        assertEquals(1, result.exitCode());
        assertEquals(Set.of("gw0", "gw1"), progress.finished.stream().map(Recorder.Finished::worker).collect(Collectors.toSet()),
                "both workers ran tests");

        String printed = out.toString();
        assertTrue(printed.contains("FailingTest") && printed.contains("one is not two ==> expected: <1> but was: <2>"), printed);
        assertTrue(printed.contains("[        33 tests found           ]"), printed);
        assertTrue(printed.contains("disabled() ") && printed.contains(" not today"), printed);

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("TEST-junit-jupiter.xml").toFile());
        Element suite = xml.getDocumentElement();
        assertEquals("35", suite.getAttribute("tests"), "33 tests and the templates of the skipped KilledOnceTest and KilledBetweenInvocationsTest, leaves without invocations");
        Element assertion = child(testcase(xml, "FailingTest", "assertionFails()"), "failure");
        assertEquals("org.opentest4j.AssertionFailedError", assertion.getAttribute("type"));
        assertTrue(assertion.getTextContent().contains("FailingTest.assertionFails(FailingTest.java:"), assertion.getTextContent());
        Element withCause = child(testcase(xml, "FailingTest", "throwsWithACause()"), "error");
        assertEquals("java.lang.IllegalStateException", withCause.getAttribute("type"));
        assertTrue(withCause.getTextContent().contains("Caused by: java.io.IOException: the root cause"), withCause.getTextContent());
        Element foreign = child(testcase(xml, "FailingTest", "throwsAnExceptionOfTheSuite()"), "error");
        assertTrue(foreign.getTextContent().startsWith(FIXTURE + "FixtureException: only the worker has this class"), foreign.getTextContent());
        Element printing = testcase(xml, "PassingTest", "printsToStdoutAndStderr()");
        assertTrue(texts(printing, "system-out").stream().anyMatch(text -> text.contains("fixture says hello on stdout")));
        assertTrue(texts(printing, "system-err").stream().anyMatch(text -> text.contains("fixture says hello on stderr")));
        assertEquals("not today", child(testcase(xml, "SkippedTest", "disabled()"), "skipped").getTextContent());
    }

    /** The fixture suite run by the launcher in this JVM, its classes in a loader of their own. */
    private static TestExecutionSummary runInThisJvm() throws Exception {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader fixture = new URLClassLoader(new URL[] {Fixture.classes().toUri().toURL()}, previous)) {
            thread.setContextClassLoader(fixture);
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClasspathRoots(Set.of(Fixture.classes())))
                    .filters(ClassNameFilter.includeClassNamePatterns(DistributedTests.STANDARD_INCLUDE_PATTERN)).build(), listener);
        } finally {
            thread.setContextClassLoader(previous);
        }
        return listener.getSummary();
    }

    /** Tests found, successful, failed, aborted, skipped; containers failed. */
    private static List<Long> counts(TestExecutionSummary summary) {
        return List.of(summary.getTestsFoundCount(), summary.getTestsSucceededCount(), summary.getTestsFailedCount(),
                summary.getTestsAbortedCount(), summary.getTestsSkippedCount(), summary.getContainersFailedCount());
    }

    private static Element testcase(Document xml, String className, String name) {
        NodeList cases = xml.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            if (testcase.getAttribute("classname").equals(FIXTURE + className) && testcase.getAttribute("name").equals(name)) {
                return testcase;
            }
        }
        throw new AssertionError("no testcase " + className + " " + name);
    }

    private static List<String> texts(Element parent, String name) {
        NodeList children = parent.getElementsByTagName(name);
        return java.util.stream.IntStream.range(0, children.getLength()).mapToObj(i -> children.item(i).getTextContent()).toList();
    }

    private static Element child(Element parent, String name) {
        NodeList children = parent.getElementsByTagName(name);
        if (children.getLength() != 1) {
            throw new AssertionError("expected one " + name + " in testcase " + parent.getAttribute("name") + ", found " + children.getLength());
        }
        return (Element) children.item(0);
    }

    @Test
    void theSecondRunSplitsTheLongClassItMayAndKeepsTheOrderedOneWhole(@TempDir Path dir) throws Exception {
        Path history = dir.resolve("history");
        try (Group group = new Group("popen", "popen")) {
            wholeSuite().historyDir(history).build().run(group);
            String durations = Files.readString(history.resolve("durations.tsv"));
            assertTrue(durations.contains("[class:" + FIXTURE + "SlowTest]/[method:first()]"), durations);
            assertTrue(Files.readString(history.resolve("last-failed.txt")).contains("[method:assertionFails()]"));
            String slow = Files.readAllLines(history.resolve("locality.tsv")).stream().filter(l -> l.endsWith("[class:" + FIXTURE + "SlowTest]"))
                    .findFirst().orElseThrow();
            String[] times = slow.split("\t");
            assertTrue(Double.parseDouble(times[0].equals("-") ? times[1] : times[0]) >= 2.0, "four sleeps of half a second: " + slow);
            assertTrue(!times[2].equals("-") && Double.parseDouble(times[2]) < 0.5, "its JVM mostly waited while it slept: " + slow);

            Recorder progress = new Recorder();
            TestRunResult second = wholeSuite().historyDir(history).progress(progress).build().run(group);
            assertEquals(List.of(33L, 20L, 3L, 1L, 9L, 0L), counts(second.summaries().get("load")));
            assertEquals(2, workersThatRan(progress, "SlowTest"), "SlowTest's methods were split over both workers: " + progress.finished);
            assertEquals(1, workersThatRan(progress, "OrderedSlowTest"), "OrderedSlowTest must stay whole: " + progress.finished);
        }
    }

    private static long workersThatRan(Recorder progress, String className) {
        return progress.finished.stream().filter(f -> f.className().equals(FIXTURE + className)).map(Recorder.Finished::worker).distinct().count();
    }

    @Test
    void lastFailedRunsOnlyWhatFailedLastTime(@TempDir Path dir) throws Exception {
        Path history = dir.resolve("history");
        DistributedTests.Builder failing = DistributedTests.builder().classPath(Fixture.classPath())
                .selectClasses(List.of(FIXTURE + "FailingTest", FIXTURE + "PassingTest")).historyDir(history);
        try (Group group = new Group("popen")) {
            assertEquals(9, failing.build().run(group).testsFoundCount());
            TestRunResult again = failing.lastFailed(true).build().run(group);
            TestExecutionSummary summary = again.summaries().get("load");
            assertEquals(3, summary.getTestsFoundCount());
            assertEquals(3, summary.getTestsFailedCount());
        }
    }

    @Test
    void eachRunsTheWholeSuiteOnEveryGateway(@TempDir Path dir) throws Exception {
        Recorder progress = new Recorder();
        try (Group group = new Group("popen", "popen//java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")) {
            TestRunResult result = DistributedTests.builder().classPath(Fixture.classPath())
                    .selectClasses(List.of(FIXTURE + "FailingTest", FIXTURE + "PassingTest")).distribution(Distribution.EACH)
                    .reportsDir(dir).progress(progress).build().run(group);
            Map<String, TestExecutionSummary> summaries = result.summaries();
            assertEquals(Set.of("gw0", "gw1"), summaries.keySet());
            for (TestExecutionSummary summary : summaries.values()) {
                assertEquals(9, summary.getTestsFoundCount());
                assertEquals(3, summary.getTestsFailedCount());
            }
            assertTrue(Files.isRegularFile(dir.resolve("gw0/TEST-junit-jupiter.xml")) && Files.isRegularFile(dir.resolve("gw1/TEST-junit-jupiter.xml")));
            assertTrue(progress.ready.stream().anyMatch(r -> r.startsWith("gw0 17")) && progress.ready.stream().anyMatch(r -> r.startsWith("gw1 25")),
                    progress.ready.toString());
        }
    }

    @Test
    void classNamePatternsAndTagsFilterAsTheConsoleLauncherDoes() throws Exception {
        try (Group group = new Group("popen")) {
            StringWriter out = new StringWriter();
            TestRunListener throwing = new TestRunListener() {
                @Override
                public void testFinished(String worker, TestIdentifier test, TestExecutionResult result) {
                    throw new IllegalStateException("a listener's bug");
                }
            };
            TestRunResult included = wholeSuite().includeClassNames(List.of(".*IncludedOnRequest")).progress(throwing)
                    .output(new PrintWriter(out, true), Details.NONE).build().run(group);
            assertEquals(1, included.summaries().get("load").getTestsSucceededCount());
            assertTrue(out.toString().contains("the progress listener failed") && out.toString().contains("a listener's bug"), out.toString());
            TestRunResult fast = wholeSuite().includeTags(List.of("fast")).build().run(group);
            assertEquals(1, fast.summaries().get("load").getTestsFoundCount());
        }
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingRuns(@TempDir Path dir) {
        try (Group group = new Group()) {
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> wholeSuite().build().run(group));
            assertTrue(empty.getMessage().contains("no gateways"), empty.getMessage());
        }
        try (Group group = new Group("popen//python=/usr/bin/python3")) {
            IllegalArgumentException python = assertThrows(IllegalArgumentException.class, () -> wholeSuite().build().run(group));
            assertTrue(python.getMessage().contains("runs Python"), python.getMessage());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> DistributedTests.builder().classPath(List.of(dir.resolve("nowhere"))).scanClassPath().build().run(group));
            assertTrue(missing.getMessage().contains("nowhere") && missing.getMessage().contains("does not exist"), missing.getMessage());
            IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
                    () -> DistributedTests.builder().classPath(Fixture.classPath()).build().run(group));
            assertTrue(nothing.getMessage().contains("nothing to run"), nothing.getMessage());
            IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                    () -> wholeSuite().selectClasses(List.of(FIXTURE + "PassingTest")).build().run(group));
            assertTrue(both.getMessage().contains("at the same time"), both.getMessage());
        }
    }
}
