package org.jexecnet.junit.internal.remote;

import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jexecnet.Channel;
import org.jexecnet.junit.internal.wire.Suite;

/**
 * The runner's remote code: {@code gateway.remoteExec(WorkerEntry::serve, suite.toWire())}. Loads the
 * test class path in a class loader of its own, whose parent is the JDK's platform loader, so the tests
 * see the JDK and their class path and nothing of the worker's (jexecnet, or a fat jar it runs from),
 * as in a JVM started for them alone. Then hands the channel to the runner, defined in that world.
 */
public final class WorkerEntry {
    private WorkerEntry() {}

    private static final String RUNNER = "org.jexecnet.junit.internal.worker.TestExecutor";

    /**
     * Runs until the master closes the channel.
     *
     * @throws IllegalArgumentException when a class path entry is not on this host
     */
    public static void serve(Channel channel, Map<String, Object> kwargs) throws Exception {
        Suite suite = Suite.fromWire(kwargs);
        List<URL> urls = new ArrayList<>();
        for (String entry : suite.classPath()) {
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("class path entry " + entry + " does not exist on this worker's host");
            }
            urls.add(url(path));
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Unnamed, as the application class loader of a JVM started for the tests is in their stack traces.
        try (URLClassLoader tests = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            // The launcher finds engines, and tests find resources, through the context class loader.
            thread.setContextClassLoader(tests);
            RunnerLoader runner = new RunnerLoader(WorkerEntry.class.getClassLoader(), tests);
            Class.forName(RUNNER, true, runner).getMethod("serve", Channel.class, Suite.class).invoke(null, channel, suite);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof Exception failure ? failure : e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("class path entry " + path + " has no URL: " + e.getMessage(), e);
        }
    }
}
