package org.jexecnet.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jexecnet.Group;
import org.jexecnet.Gateway;

/**
 * A master in a process of its own that a test stops (SIGSTOP) or kills: opens the gateways its
 * arguments name, in order, prints the last one's worker pid, then waits to be stopped or killed.
 */
public final class SilentMaster {
    private SilentMaster() {}

    /** A started master process and the pid of its last gateway's worker. */
    public record Started(Process master, long workerPid) {}

    /** Starts a master process with these gateways and waits for its worker's pid; kill it when done. */
    public static Started start(String... specs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SilentMaster.class.getName()));
        command.addAll(List.of(specs));
        Process master = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            master.destroyForcibly();
            throw new IOException("the master did not start its gateways " + List.of(specs));
        }
        return new Started(master, Long.parseLong(line.strip()));
    }

    public static void main(String[] args) throws Exception {
        Group group = new Group(List.of(args));
        Gateway gw = group.get(group.size() - 1);
        System.out.println(gw.remoteInfo(Duration.ofSeconds(30)).pid());
        System.out.flush();
        System.in.read(); // until stopped and killed
    }
}
