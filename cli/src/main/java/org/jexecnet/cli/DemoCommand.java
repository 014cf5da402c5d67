package org.jexecnet.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jexecnet.Channel;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;
import org.jexecnet.Received;
import org.jexecnet.Tuple;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jexecnet demo}: execnet's "saturate multiple CPUs" example. A worker JVM per core, each asking
 * for ranges of numbers and counting the primes in them; results come back through one queue.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a worker JVM per core and count the primes below a bound in tasks shared among them.")
final class DemoCommand implements Callable<Integer> {
    private static final Object END = new Object();
    private static final int TASK = 100_000;

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--limit", defaultValue = "5000000", description = "Count the primes below this (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--workers", description = "How many worker JVMs (default: one per core).")
    Integer workers;

    @Option(names = "--gateway", paramLabel = "SPEC", defaultValue = "popen", description = "The spec of each worker (default: ${DEFAULT-VALUE}).")
    String gatewaySpec;

    /** A worker: says it is ready, then answers each (from, to) with (from, to, primes) until it gets None. */
    static void countPrimes(Channel channel) {
        channel.send("ready");
        for (Object task : channel) {
            if (task == null) {
                return;
            }
            Tuple range = (Tuple) task;
            int from = (Integer) range.get(0);
            int to = (Integer) range.get(1);
            int primes = 0;
            for (int n = Math.max(from, 2); n < to; n++) {
                boolean prime = true;
                for (int d = 2; (long) d * d <= n; d++) {
                    if (n % d == 0) {
                        prime = false;
                        break;
                    }
                }
                if (prime) {
                    primes++;
                }
            }
            channel.send(Tuple.of(from, to, primes));
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        int count = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (count < 1 || limit < 2) {
            throw new IllegalArgumentException("--workers must be at least 1 and --limit at least 2");
        }
        long start = System.nanoTime();
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            specs.add(gatewaySpec + "//id=worker" + i);
        }
        out.printf("starting %d worker JVMs (%s) ...%n", count, gatewaySpec);
        out.flush();
        try (Group group = new Group(specs)) {
            out.printf("started in %d ms; counting the primes below %,d in tasks of %,d numbers%n",
                    (System.nanoTime() - start) / 1_000_000, limit, TASK);
            out.flush();
            Deque<Tuple> tasks = new ArrayDeque<>();
            for (int from = 0; from < limit; from += TASK) {
                tasks.add(Tuple.of(from, Math.min(limit, from + TASK)));
            }
            int total = tasks.size();
            MultiChannel channels = group.remoteExec(DemoCommand::countPrimes);
            BlockingQueue<Received> queue = channels.makeReceiveQueue(END);
            Map<String, int[]> perWorker = new TreeMap<>(); // tasks, primes
            long primes = 0;
            int done = 0;
            int open = channels.size();
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("tasks").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .build()) {
                while (open > 0) {
                    Received received = queue.poll(60, TimeUnit.SECONDS);
                    if (received == null) {
                        throw new ChannelTimeoutException("no worker answered", Duration.ofSeconds(60));
                    }
                    if (received.item() == END) {
                        open--;
                        continue;
                    }
                    if (received.item() instanceof Tuple result) {
                        primes += (Integer) result.get(2);
                        int[] mine = perWorker.computeIfAbsent(received.channel().gateway().id(), id -> new int[2]);
                        mine[0]++;
                        mine[1] += (Integer) result.get(2);
                        bar.stepTo(++done);
                    }
                    received.channel().send(tasks.isEmpty() ? null : tasks.poll()); // the next task, or the end
                }
            }
            channels.waitClose(Duration.ofSeconds(30));
            perWorker.forEach((id, mine) -> out.printf("  %-8s %3d tasks, %,9d primes%n", id, mine[0], mine[1]));
            out.printf("%,d primes below %,d, by %d workers, in %d ms in all%n", primes, limit, count, (System.nanoTime() - start) / 1_000_000);
        }
        return 0;
    }
}
