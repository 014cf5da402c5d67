package org.jexecnet.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jexecnet.Channel;

/**
 * Remote code that starts processes and leaves them running, as careless remote code does: a child
 * ({@code sleep}) and a grandchild that a shell double-forks and abandons, so that it is re-parented to
 * PID 1 and is no descendant of the worker any more. Sends their pids, then the worker's files
 * directory (the third argument of its command line).
 */
public final class Offspring {
    private Offspring() {}

    public static void run(Channel channel) throws IOException, InterruptedException {
        run(channel, Map.of());
    }

    /** With {@code detached=true} both leave the worker's process group with setsid: the documented way to outlive it. */
    public static void run(Channel channel, Map<String, Object> kwargs) throws IOException, InterruptedException {
        String setsid = Boolean.TRUE.equals(kwargs.get("detached")) ? "setsid " : "";
        Process child = new ProcessBuilder((setsid + "sleep 1000").split(" ")).start();
        Process forker = new ProcessBuilder("sh", "-c", setsid + "sleep 1001 </dev/null >/dev/null 2>&1 & echo $!").start();
        long grandchild = Long.parseLong(new String(forker.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
        if (forker.waitFor() != 0) {
            throw new IllegalStateException("sh failed to start the grandchild");
        }
        List<String> args = ProcessHandle.current().info().arguments().map(List::of).orElseThrow();
        int main = args.indexOf("org.jexecnet.internal.worker.WorkerMain");
        channel.send(List.of(child.pid(), grandchild, args.get(main + 3)));
    }
}
