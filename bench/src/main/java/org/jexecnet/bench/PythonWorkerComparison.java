package org.jexecnet.bench;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jexecnet.Channel;
import org.jexecnet.Gateway;
import org.jexecnet.Group;

/**
 * A Java master talking to Python execnet's own worker, beside a Python master talking to the same
 * worker ({@code bench/python/pingpong.py} and {@code oneway.py}), in one run: what jexecnet's master side
 * costs, measured against execnet's, with the same Python on the other end.
 *
 * <p>Usage, from the repository's root: {@code java -cp jexecnet-VERSION.jar:jexecnet-bench.jar
 * org.jexecnet.bench.PythonWorkerComparison} ({@code bench/run-python-worker.sh} builds and runs it);
 * {@code execnet.python} names the Python; {@code -Dbench.quick=true} makes the counts small, for a run that shows
 * the parts work.
 */
public final class PythonWorkerComparison {
    private static final Duration T = Duration.ofSeconds(60);
    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final int PINGPONG_N = QUICK ? 1_000 : 10_000;
    private static final int REPS = QUICK ? 2 : 5;
    private static final int ONEWAY_N = QUICK ? 2_000 : 200_000;
    /** The bound on each script. */
    private static final long SCRIPT_TIMEOUT_SECONDS = 300;

    private PythonWorkerComparison() {}

    /**
     * Runs both sides and prints their medians and ratios.
     *
     * @param args none
     * @throws Exception when a measurement fails
     */
    public static void main(String[] args) throws Exception {
        String python = ReferenceScripts.python();
        System.out.println("# date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("# java " + System.getProperty("java.runtime.version") + "; worker and reference: " + python);
        List<Double> roundTrip = new ArrayList<>();
        List<Double> toMaster = new ArrayList<>();
        List<Double> toWorker = new ArrayList<>();
        try (Group group = new Group("popen//python=" + python)) {
            Gateway gw = group.get(0);
            Channel echo = gw.remoteExec("for x in channel:\n    channel.send(x)");
            for (int r = 0; r <= REPS; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < PINGPONG_N; i++) {
                    echo.send(i);
                    echo.receive(T);
                }
                if (r > 0) {
                    roundTrip.add((System.nanoTime() - t0) / 1e3 / PINGPONG_N);
                }
            }
            echo.close();
            for (int r = 0; r <= REPS; r++) {
                Channel send = gw.remoteExec("n = channel.receive()\nfor i in range(n):\n    channel.send(i)");
                long t0 = System.nanoTime();
                send.send(ONEWAY_N);
                for (int i = 0; i < ONEWAY_N; i++) {
                    send.receive(T);
                }
                long t1 = System.nanoTime();
                send.waitClose(T);
                Channel count = gw.remoteExec("c = 0\nwhile 1:\n    x = channel.receive()\n    if x is None:\n        break\n"
                        + "    c += 1\nchannel.send(c)");
                long t2 = System.nanoTime();
                for (int i = 0; i < ONEWAY_N; i++) {
                    count.send(i);
                }
                count.send(null);
                count.receive(T);
                long t3 = System.nanoTime();
                count.waitClose(T);
                if (r > 0) {
                    toMaster.add(ONEWAY_N / ((t1 - t0) / 1e9));
                    toWorker.add(ONEWAY_N / ((t3 - t2) / 1e9));
                }
            }
        }
        List<String> pingpong = script("pingpong.py", Integer.toString(PINGPONG_N), Integer.toString(REPS));
        List<String> oneway = script("oneway.py", Integer.toString(ONEWAY_N), Integer.toString(REPS));
        print("round trip, small int (us)", Figures.median(roundTrip),
                median(pingpong, "pingpong.round_trip_" + PINGPONG_N / 1000 + "k"), "lower is faster");
        print("one-way worker -> master (msg/s)", Figures.median(toMaster),
                median(oneway, "oneway.remote_to_master_" + ONEWAY_N / 1000 + "k_ints"), "");
        print("one-way master -> worker (msg/s)", Figures.median(toWorker),
                median(oneway, "oneway.master_to_remote_" + ONEWAY_N / 1000 + "k_ints"), "");
    }

    private static void print(String what, double java, double python, String note) {
        System.out.printf("%-36s Java master %10s   Python master %10s   ratio %.2fx %s%n", what, Figures.format(java),
                Figures.format(python), java / python, note);
    }

    private static double median(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name + ": ")) {
                return Double.parseDouble(line.substring(name.length() + 2).split(" ")[0]);
            }
        }
        throw new IllegalStateException("the script printed no " + name + ": " + lines);
    }

    private static List<String> script(String script, String... args) throws IOException, InterruptedException {
        List<String> out = ReferenceScripts.run(ReferenceScripts.command(script, args), SCRIPT_TIMEOUT_SECONDS);
        out.stream().filter(l -> !l.startsWith("#")).forEach(l -> System.out.println("execnet| " + l));
        return out;
    }
}
