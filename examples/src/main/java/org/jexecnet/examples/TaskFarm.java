package org.jexecnet.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;
import org.jexecnet.Received;
import org.jexecnet.Tuple;

/**
 * execnet's "saturate multiple CPUs" example: a worker JVM per core, each asking for work, counting
 * the primes in the ranges it is sent, and stopping when told. Results come back through one queue.
 *
 * <p>This is the demo: {@code ./scripts/demo.sh}.
 */
public final class TaskFarm {
    private TaskFarm() {}

    private static final Object END = "END";
    /** Each worker says it is ready, then answers each (from, to) task with (from, to, primes). */
    private static final String WORKER = """
            channel.send("ready");
            for (Object task : channel) {
                if (task == null) {
                    break;
                }
                Tuple range = (Tuple) task;
                int from = (Integer) range.get(0), to = (Integer) range.get(1), primes = 0;
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
            """;

    /** What the farm computed. */
    record Result(long primes, Map<String, Integer> tasksPerWorker, long millis) {}

    /**
     * Runs the farm.
     *
     * @param args optionally the upper bound of the numbers to test (default 5,000,000) and the number
     *     of workers (default: the machine's cores)
     * @throws InterruptedException when interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        int limit = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        run(limit, workers, System.out);
    }

    static Result run(int limit, int workerCount, PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < workerCount; i++) {
            specs.add("popen//id=worker" + i);
        }
        out.printf("starting %d worker JVMs ...%n", workerCount);
        try (Group group = new Group(specs)) {
            out.printf("started in %d ms; counting the primes below %,d in tasks of 100,000 numbers%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), limit);
            Deque<Tuple> tasks = new ArrayDeque<>();
            for (int from = 0; from < limit; from += 100_000) {
                tasks.add(Tuple.of(from, Math.min(limit, from + 100_000)));
            }
            int taskCount = tasks.size();
            MultiChannel channels = group.remoteExec(WORKER);
            BlockingQueue<Received> queue = channels.makeReceiveQueue(END);
            Map<String, Integer> perWorker = new LinkedHashMap<>();
            long primes = 0;
            int done = 0;
            for (int open = channels.size(); open > 0; ) {
                Received received = queue.poll(60, TimeUnit.SECONDS);
                if (received == null) {
                    throw new IllegalStateException("no answer from any worker within 60 s");
                }
                Channel channel = received.channel();
                String worker = channel.gateway().id();
                if (received.item() == END) {
                    open--;
                    continue;
                }
                if (received.item() instanceof Tuple result) {
                    primes += (Integer) result.get(2);
                    perWorker.merge(worker, 1, Integer::sum);
                    done++;
                    if (done % Math.max(1, taskCount / 10) == 0 || done == taskCount) {
                        out.printf("  %3d%% done%n", 100 * done / taskCount);
                    }
                }
                // "ready" or a result: the worker wants more work, or to be told to stop.
                channel.send(tasks.isEmpty() ? null : tasks.poll());
            }
            channels.waitClose(Duration.ofSeconds(30));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            perWorker.forEach((worker, count) -> out.printf("  %s did %d tasks%n", worker, count));
            out.printf("%,d primes below %,d, found by %d JVMs in %d ms%n", primes, limit, workerCount, millis);
            return new Result(primes, perWorker, millis);
        }
    }
}
