package org.jexecnet.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jexecnet.Group;
import org.jexecnet.Gateway;
import org.jexecnet.remote.Offspring;

/**
 * A master in a process of its own that a test stops (SIGSTOP) or kills: opens the gateways its
 * arguments name, in order, prints the last one's worker pid, then waits to be stopped or killed. With
 * {@code --offspring} first, the last worker also runs {@link Offspring}, and the pids of the processes
 * it left running follow on the same line.
 */
public final class SilentMaster {
    private SilentMaster() {}

    private static final String OFFSPRING = "--offspring";

    /** A started master process, the pid of its last gateway's worker, and of the processes its remote code started. */
    public record Started(Process master, long workerPid, List<Long> offspring) {}

    /** Starts a master process with these gateways and waits for its worker's pid; kill it when done. */
    public static Started start(String... specs) throws IOException {
        return start(List.of(specs));
    }

    /** As {@link #start}, and the last worker starts a child and a double-forked grandchild ({@link Offspring}). */
    public static Started startWithOffspring(String... specs) throws IOException {
        List<String> args = new ArrayList<>(List.of(OFFSPRING));
        args.addAll(List.of(specs));
        return start(args);
    }

    private static Started start(List<String> args) throws IOException {
        List<String> specs = args.stream().filter(arg -> !arg.equals(OFFSPRING)).toList();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SilentMaster.class.getName()));
        command.addAll(args);
        Process master = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            master.destroyForcibly();
            throw new IOException("the master did not start its gateways " + specs);
        }
        List<Long> pids = Arrays.stream(line.strip().split(" ")).map(Long::parseLong).toList();
        return new Started(master, pids.get(0), pids.subList(1, pids.size()));
    }

    public static void main(String[] args) throws Exception {
        boolean offspring = args[0].equals(OFFSPRING);
        Group group = new Group(Arrays.asList(args).subList(offspring ? 1 : 0, args.length));
        Gateway gw = group.get(group.size() - 1);
        String pids = String.valueOf(gw.remoteInfo(Duration.ofSeconds(30)).pid());
        if (offspring) {
            List<?> started = gw.remoteExec(Offspring.class).receive(List.class, Duration.ofSeconds(30));
            pids += " " + started.get(0) + " " + started.get(1);
        }
        System.out.println(pids);
        System.out.flush();
        System.in.read(); // until stopped and killed
    }
}
