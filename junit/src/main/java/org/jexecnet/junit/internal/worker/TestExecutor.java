package org.jexecnet.junit.internal.worker;

import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jexecnet.Channel;
import org.jexecnet.junit.internal.wire.Failure;
import org.jexecnet.junit.internal.wire.Node;
import org.jexecnet.junit.internal.wire.Request;
import org.jexecnet.junit.internal.wire.Suite;
import org.jexecnet.junit.internal.wire.WorkerEvent;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.Filter;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Serves the master's requests with one launcher session, as one JVM of the Console Launcher would:
 * the whole suite's discovery, then unit after unit, each a launcher execution of the unique ids it
 * names, its events streamed to the master as they happen.
 */
public final class TestExecutor {
    private TestExecutor() {}

    /** Runs until the master closes the channel. */
    public static void serve(Channel channel, Suite suite) {
        try (LauncherSession session = LauncherFactory.openSession()) {
            channel.send(new WorkerEvent.Ready(Runtime.version().toString()).toWire());
            for (Object message : channel) {
                Request request = Request.fromWire(message);
                if (request instanceof Request.Run run) {
                    if (!execute(session, suite, run, channel)) {
                        return;
                    }
                } else {
                    channel.send(new WorkerEvent.Plan(discover(session, suite)).toWire());
                }
            }
        }
    }

    private static List<Node> discover(LauncherSession session, Suite suite) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String selector : suite.selectors()) {
            selectors.addAll(selectors(selector, suite));
        }
        TestPlan plan = session.getLauncher().discover(discoveryRequest(suite, selectors));
        Splitting splitting = Splitting.of(plan.getConfigurationParameters());
        List<Node> nodes = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            addTree(plan, root, splitting, nodes);
        }
        return nodes;
    }

    private static void addTree(TestPlan plan, TestIdentifier identifier, Splitting splitting, List<Node> nodes) {
        nodes.add(Nodes.of(identifier, splitting.allows(plan, identifier)));
        for (TestIdentifier child : plan.getChildren(identifier)) {
            addTree(plan, child, splitting, nodes);
        }
    }

    /**
     * Runs one unit; false when the JUnit Platform let an error through (it rethrows an
     * {@link OutOfMemoryError}), after which this JVM takes no more tests.
     */
    private static boolean execute(LauncherSession session, Suite suite, Request.Run run, Channel channel) {
        List<DiscoverySelector> selectors = run.uniqueIds().stream().<DiscoverySelector>map(DiscoverySelectors::selectUniqueId).toList();
        long cpuBefore = CpuTime.ofThisJvm();
        try {
            session.getLauncher().execute(discoveryRequest(suite, selectors), new EventSender(channel));
        } catch (Throwable fatal) {
            channel.send(new WorkerEvent.Fatal(Failure.of(fatal)).toWire());
            return false;
        }
        long cpuAfter = CpuTime.ofThisJvm();
        channel.send(new WorkerEvent.UnitDone(run.unit(), cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore).toWire());
        return true;
    }

    private static LauncherDiscoveryRequest discoveryRequest(Suite suite, List<DiscoverySelector> selectors) {
        List<Filter<?>> filters = new ArrayList<>();
        if (!suite.includeClassNames().isEmpty()) {
            filters.add(ClassNameFilter.includeClassNamePatterns(suite.includeClassNames().toArray(String[]::new)));
        }
        if (!suite.excludeClassNames().isEmpty()) {
            filters.add(ClassNameFilter.excludeClassNamePatterns(suite.excludeClassNames().toArray(String[]::new)));
        }
        if (!suite.includeTags().isEmpty()) {
            filters.add(TagFilter.includeTags(suite.includeTags()));
        }
        if (!suite.excludeTags().isEmpty()) {
            filters.add(TagFilter.excludeTags(suite.excludeTags()));
        }
        return request().selectors(selectors).filters(filters.toArray(Filter<?>[]::new))
                .configurationParameters(suite.configuration()).build();
    }

    private static List<? extends DiscoverySelector> selectors(String selector, Suite suite) {
        int colon = selector.indexOf(':');
        String kind = colon < 0 ? selector : selector.substring(0, colon);
        String value = selector.substring(colon + 1);
        return switch (kind) {
            case "class" -> List.of(DiscoverySelectors.selectClass(value));
            case "package" -> List.of(DiscoverySelectors.selectPackage(value));
            case "method" -> List.of(DiscoverySelectors.selectMethod(value));
            case "uid" -> List.of(DiscoverySelectors.selectUniqueId(value));
            case "root" -> DiscoverySelectors.selectClasspathRoots(Set.of(Path.of(suite.classPath().get(Integer.parseInt(value)))));
            default -> throw new IllegalArgumentException("unknown selector " + selector);
        };
    }
}
