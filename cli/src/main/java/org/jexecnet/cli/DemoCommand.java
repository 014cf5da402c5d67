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
import org.jexecnet.Execnet;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;
import org.jexecnet.Received;
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
        description = {"Start a worker JVM per core and count the primes below a bound in tasks shared among them.",
                "On a terminal a progress bar shows the tasks done; elsewhere a line every few seconds."})
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

    /** A task: count the primes in [from, to). Records travel as dicts of their components. */
    record Range(int from, int to) {}

    /** A task's answer. */
    record Counted(Range range, int primes) {}

    /** A worker: says it is ready, then answers each Range with its Counted until it gets None. */
    static void countPrimes(Channel channel) {
        channel.send("ready");
        for (Object task : channel) {
            if (task == null) {
                return;
            }
            Range range = Execnet.convert(task, Range.class);
            int primes = 0;
            for (int n = Math.max(range.from(), 2); n < range.to(); n++) {
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
            channel.send(new Counted(range, primes));
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
            Deque<Range> tasks = new ArrayDeque<>();
            for (int from = 0; from < limit; from += TASK) {
                tasks.add(new Range(from, Math.min(limit, from + TASK)));
            }
            int total = tasks.size();
            MultiChannel channels = group.remoteExec(DemoCommand::countPrimes);
            BlockingQueue<Received> queue = channels.makeReceiveQueue(END);
            Map<String, int[]> perWorker = new TreeMap<>(); // tasks, primes; every worker listed, a late one with none
            for (Channel channel : channels) {
                perWorker.put(channel.gateway().id(), new int[2]);
            }
            long primes = 0;
            int done = 0;
            int open = channels.size();
            try (Progress progress = Terminal.isTerminal(Terminal.STDERR) ? new Bar(total) : new Lines(spec.commandLine().getErr(), total)) {
                while (open > 0) {
                    Received received = queue.poll(60, TimeUnit.SECONDS);
                    if (received == null) {
                        throw new ChannelTimeoutException("no worker answered", Duration.ofSeconds(60));
                    }
                    if (received.item() == END) {
                        open--;
                        continue;
                    }
                    if (!"ready".equals(received.item())) {
                        Counted counted = received.item(Counted.class);
                        primes += counted.primes();
                        int[] mine = perWorker.get(received.channel().gateway().id());
                        mine[0]++;
                        mine[1] += counted.primes();
                        progress.stepTo(++done);
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

    /** How the tasks done are shown: a bar on a terminal, else a line every few seconds. */
    private interface Progress extends AutoCloseable {
        void stepTo(int done);

        @Override
        void close();
    }

    private static final class Bar implements Progress {
        private final ProgressBar bar;

        Bar(int total) {
            bar = new ProgressBarBuilder().setTaskName("tasks").setInitialMax(total).setStyle(ProgressBarStyle.ASCII).build();
        }

        @Override
        public void stepTo(int done) {
            bar.stepTo(done);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** A plain line at most every few seconds, and at the end: what a log or CI job can read. */
    private static final class Lines implements Progress {
        private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
        private final PrintWriter err;
        private final int total;
        private long last = System.nanoTime();

        Lines(PrintWriter err, int total) {
            this.err = err;
            this.total = total;
        }

        @Override
        public void stepTo(int done) {
            long now = System.nanoTime();
            if (now - last >= EVERY_NANOS || done == total) {
                last = now;
                err.printf("tasks: %d of %d done%n", done, total);
                err.flush();
            }
        }

        @Override
        public void close() {}
    }
}
