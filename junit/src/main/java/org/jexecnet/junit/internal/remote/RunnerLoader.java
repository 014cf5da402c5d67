package org.jexecnet.junit.internal.remote;

import java.io.IOException;
import java.io.InputStream;

/**
 * Gives the runner's classes (the {@code worker} package, which drives the JUnit launcher) the JUnit
 * Platform of the test class path, not the master's: it defines them itself, from the class files that
 * jexecnet's loader fetches from the master, so their references to JUnit resolve in the test class
 * loader, its parent. jexecnet's own classes (the channel, the wire messages) come from jexecnet's
 * loader, so that both sides of the call see the same types.
 */
final class RunnerLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final String RUNNER_PACKAGE = "org.jexecnet.junit.internal.worker.";

    private final ClassLoader jexecnet;

    RunnerLoader(ClassLoader jexecnet, ClassLoader tests) {
        super("jexecnet-junit-runner", tests);
        this.jexecnet = jexecnet;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("org.jexecnet.")) {
            return super.loadClass(name, resolve);
        }
        if (!name.startsWith(RUNNER_PACKAGE)) {
            return jexecnet.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            return type != null ? type : define(name);
        }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        String file = name.replace('.', '/') + ".class";
        try (InputStream in = jexecnet.getResourceAsStream(file)) {
            if (in == null) {
                throw new ClassNotFoundException(name + ": the master has no " + file);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
