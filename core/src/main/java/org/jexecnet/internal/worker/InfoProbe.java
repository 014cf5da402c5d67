package org.jexecnet.internal.worker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jexecnet.Channel;
import org.jexecnet.internal.Version;

/**
 * Sends facts about the worker's process; run by the master's {@code remoteInfo()} from the worker's
 * own class path, so nothing is shipped for it.
 */
public final class InfoProbe {
    private InfoProbe() {}

    /**
     * The entry point.
     *
     * @param channel where the facts go, as a dict
     */
    public static void run(Channel channel) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("runtime", "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        info.put("executable", ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        info.put("cwd", Path.of("").toAbsolutePath().toString());
        info.put("pid", ProcessHandle.current().pid());
        info.put("platform", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        info.put("library", "jexecnet " + Version.current());
        channel.send(info);
    }
}
