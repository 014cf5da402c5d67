package org.jexecnet.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;
import org.jexecnet.Received;
import org.jexecnet.Tuple;

/**
 * One task farm over two JVM workers and two Python execnet workers: the same protocol carries both,
 * so one multi-channel and one queue serve them all. Each worker sums the squares of the numbers in
 * the ranges it is sent, the JVMs in Java, the Pythons in Python.
 */
public final class MixedTaskFarm {
    private MixedTaskFarm() {}

    private static final Object END = "END";
    private static final String JAVA_WORKER = """
            channel.send("ready");
            for (Object task : channel) {
                if (task == null) {
                    break;
                }
                long from = ((Number) ((Tuple) task).get(0)).longValue(), to = ((Number) ((Tuple) task).get(1)).longValue();
                long sum = 0;
                for (long n = from; n < to; n++) {
                    sum += n * n;
                }
                channel.send(Tuple.of(from, sum));
            }
            """;
    private static final String PYTHON_WORKER = """
            channel.send('ready')
            for task in channel:
                if task is None:
                    break
                start, stop = task
                channel.send((start, sum(n * n for n in range(start, stop))))
            """;

    /**
     * Runs the farm.
     *
     * @param args optionally the Python interpreter that has execnet (default {@code /usr/bin/python3})
     * @throws InterruptedException when interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        run(args.length > 0 ? args[0] : "/usr/bin/python3", 2_000_000, System.out);
    }

    /** Returns the total and how many tasks each worker did. */
    static Map<String, Long> run(String python, int limit, PrintStream out) throws InterruptedException {
        String pythonSpec = "popen//python=" + python + "//id=";
        try (Group group = new Group("popen//id=java1", "popen//id=java2", pythonSpec + "python1", pythonSpec + "python2")) {
            MultiChannel channels = new MultiChannel(java.util.List.of(
                    group.get("java1").remoteExec(JAVA_WORKER), group.get("java2").remoteExec(JAVA_WORKER),
                    group.get("python1").remoteExec(PYTHON_WORKER), group.get("python2").remoteExec(PYTHON_WORKER)));
            Deque<Tuple> tasks = new ArrayDeque<>();
            for (int from = 0; from < limit; from += 50_000) {
                tasks.add(Tuple.of(from, Math.min(limit, from + 50_000)));
            }
            BlockingQueue<Received> queue = channels.makeReceiveQueue(END);
            Map<String, Long> result = new TreeMap<>();
            long total = 0;
            for (int open = channels.size(); open > 0; ) {
                Received received = queue.poll(60, TimeUnit.SECONDS);
                if (received == null) {
                    throw new IllegalStateException("no answer from any worker within 60 s");
                }
                if (received.item() == END) {
                    open--;
                    continue;
                }
                String worker = received.channel().gateway().id();
                if (received.item() instanceof Tuple done) {
                    total += ((Number) done.get(1)).longValue();
                    result.merge(worker, 1L, Long::sum);
                }
                received.channel().send(tasks.isEmpty() ? null : tasks.poll());
            }
            channels.waitClose(Duration.ofSeconds(30));
            result.forEach((worker, count) -> out.printf("  %-8s did %d tasks%n", worker, count));
            out.printf("sum of the squares below %,d: %d%n", limit, total);
            result.put("total", total);
            return result;
        }
    }
}
