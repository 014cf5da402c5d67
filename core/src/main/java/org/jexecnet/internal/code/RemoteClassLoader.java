package org.jexecnet.internal.code;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's class loader for one gateway: classes the master shipped are defined here, the rest
 * comes from the worker's own class path (which holds jexecnet itself). It lives as long as the
 * gateway's connection, so its classes go when the gateway does.
 */
public final class RemoteClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> shipped = new ConcurrentHashMap<>();

    public RemoteClassLoader(String gatewayName, ClassLoader parent) {
        super("jexecnet-" + gatewayName, parent);
    }

    /** Adds class files the master sent; a class already known keeps its first definition. */
    public void add(Map<String, byte[]> classes) {
        classes.forEach(shipped::putIfAbsent);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = shipped.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name + " is neither on the worker's class path nor shipped by the master");
        }
        return defineClass(name, bytes, 0, bytes.length);
    }
}
