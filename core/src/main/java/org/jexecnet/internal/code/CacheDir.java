package org.jexecnet.internal.code;

import java.nio.file.Path;

/**
 * Where jexecnet keeps what it can reuse across runs: compiled snippets on the master, shipped jars
 * on workers, the jar an ssh bootstrap shipped. The {@code jexecnet.cache} system property, else the
 * {@code JEXECNET_CACHE} environment variable (which the ssh bootstrap reads too), else
 * {@code $XDG_CACHE_HOME/jexecnet}, else {@code ~/.cache/jexecnet}.
 */
public final class CacheDir {
    private CacheDir() {}

    public static Path resolve(String part) {
        String configured = System.getProperty("jexecnet.cache");
        if (configured != null) {
            return Path.of(configured, part);
        }
        String own = System.getenv("JEXECNET_CACHE");
        if (own != null && !own.isEmpty()) {
            return Path.of(own, part);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jexecnet").resolve(part);
    }
}
