package org.jexecnet.junit.internal.remote;

import java.nio.file.Path;
import org.jexecnet.Channel;

/**
 * Where the runner keeps what it reuses across runs on a host: the master its staged jars, an ssh host
 * the class paths shipped to it. Inside jexecnet's cache directory, found as jexecnet finds it (the
 * {@code jexecnet.cache} system property, {@code JEXECNET_CACHE}, {@code $XDG_CACHE_HOME/jexecnet},
 * {@code ~/.cache/jexecnet}), so that one setting moves both.
 */
public final class CacheRoot {
    private CacheRoot() {}

    /** This host's directory. */
    public static Path here() {
        String configured = System.getProperty("jexecnet.cache");
        String own = System.getenv("JEXECNET_CACHE");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path jexecnet = configured != null ? Path.of(configured)
                : own != null && !own.isEmpty() ? Path.of(own)
                : xdg != null && !xdg.isEmpty() ? Path.of(xdg, "jexecnet")
                : Path.of(System.getProperty("user.home"), ".cache", "jexecnet");
        return jexecnet.resolve("junit").toAbsolutePath();
    }

    /** Remote code: answers the worker host's directory, so the master can name paths in it. */
    public static void send(Channel channel) {
        channel.send(here().toString());
    }
}
